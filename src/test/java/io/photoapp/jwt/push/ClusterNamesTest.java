package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Through a cluster store whose prefix holds {namespace}, the names one namespace's entries resolve to
 * are never names another namespace's entries resolve to (Key Vault joins prefix and path with '-',
 * which namespaces hold: team + a-jwt = team-a + jwt).
 */
class ClusterNamesTest {
  static final String VAULT = "{vault: {address: 'https://v:8200', pathPrefix: 'PREFIX', auth: {kubernetes: {role: r, operatorIdentity: true}}}";
  static final String AWS = "{awsSecretsManager: {region: eu-west-1, namePrefix: 'PREFIX', auth: {jwt: {operatorIdentity: true}}}";
  static final String AZURE = "{azureKeyVault: {vaultUrl: 'https://v.vault.azure.net', namePrefix: 'PREFIX', auth: {workloadIdentity: {operator: {}}}}";

  @ParameterizedTest(name = "{0} {1} {2}: {3} + {4}")
  @CsvSource(delimiter = '|', value = {
      "azure | cluster    | {namespace}           | team   | a-jwt | | may not hold '-' nor be 'jwks'",
      "azure | cluster    | {namespace}           | team-a | jwt   | team-a-jwt | ",
      "azure | cluster    | {namespace}           | team   | jwks  | | may not hold '-' nor be 'jwks'",
      "azure | cluster    | {namespace}           | team   | JWKS  | | may not hold '-' nor be 'jwks'",
      "azure | cluster    | {namespace}           | team   |       | | (set spec.push[].path, which defaults to the JwtSecret's name)",
      "azure | cluster    | {namespace}-          | team   | a-jwt | | may not hold '-' nor be 'jwks'",
      "azure | cluster    | apps-{namespace}-keys | team   | Sign1 | apps-team-keys-Sign1 | ",
      "azure | cluster    | apps                  | team   | a-jwt | apps-a-jwt | ",
      "azure | namespaced | {namespace}           | team   | a-jwt | team-a-jwt | ",
      "vault | cluster    | apps/{namespace}      | team   | a-jwt | apps/team/a-jwt | ",
      "vault | cluster    | {namespace}-x         | team   | a/b-jwks | team-x/a/b-jwks | ",
      "aws   | cluster    | {namespace}           | team   | a-jwt | team/a-jwt | ",
      "aws   | cluster    | apps-{namespace}      | team   | jwks  | apps-team/jwks | ",
  })
  void whereAnEntryLandsOrWhyItIsRefused(String provider, String kind, String prefix, String namespace, String path,
      String location, String refusal) {
    String spec = switch (provider) {
      case "vault" -> VAULT;
      case "aws" -> AWS;
      default -> AZURE;
    };
    spec = spec.replace("PREFIX", prefix);
    boolean cluster = kind.equals("cluster");
    StoreFixtures.Directory directory = new StoreFixtures.Directory();
    if (cluster) {
      directory.with(StoreFixtures.clusterStore("s", spec + ", conditions: [{namespaces: [" + namespace + "]}]}"));
    } else {
      directory.with(StoreFixtures.store(namespace, "s", spec.replace("{operator: {}}", "{clientId: 11111111-2222-3333-4444-555555555555,"
          + " tenantId: 66666666-7777-8888-9999-000000000000, serviceAccountRef: {name: sa}}") + "}"));
    }
    String entry = "[{storeRef: {name: s" + (cluster ? ", kind: ClusterJwtSecretStore" : "") + "}"
        + (path == null ? "" : ", path: " + path) + "}]";
    Target t = StoreFixtures.resolveOne(directory, StoreFixtures.jwtSecret(namespace, "photoapp-jwt", entry), false);
    if (refusal == null) {
      assertThat(t.refusal()).isEmpty();
      assertThat(t.location()).isEqualTo(location);
    } else {
      assertThat(t.refusal()).hasValueSatisfying(e -> {
        assertThat(e.reason()).isEqualTo(PushException.Reason.InvalidTarget);
        assertThat(e.getMessage()).startsWith("spec.push[0].path of an Azure Key Vault ClusterJwtSecretStore").contains(refusal);
      });
      assertThat(t.store()).as("nothing to write to").isEmpty();
    }
  }

  @Test
  void noNameOfOneNamespaceIsANameOfAnother() {
    Map<Provider, List<String>> templates = Map.of(
        Provider.AZURE_KEY_VAULT, List.of("{namespace}", "{namespace}-", "a-{namespace}", "{namespace}-b", "{namespace}{namespace}", "a{namespace}-a"),
        Provider.VAULT, List.of("{namespace}", "a/{namespace}", "{namespace}-a", "a-{namespace}-b", "{namespace}/{namespace}"),
        Provider.AWS_SECRETS_MANAGER, List.of("{namespace}", "a/{namespace}", "{namespace}-a", "{namespace}{namespace}"));
    templates.forEach((provider, list) -> list.forEach(template ->
        assertThat(collisions(provider, template, true)).as(provider + " " + template).isEmpty()));
  }

  @Test
  void theEnumerationFindsTheExploitWithoutTheRule() {
    assertThat(collisions(Provider.AZURE_KEY_VAULT, "{namespace}", false))
        .contains("team-a-jwt: team + a-jwt, team-a + jwt", "a-a-jwks: a + a (JWK set), a-a + jwks");
  }

  /** Names that two namespaces both resolve to, as "name: namespace + path, namespace + path"; empty when none. */
  private static List<String> collisions(Provider provider, String template, boolean withRule) {
    List<String> namespaces = words("ab-", 4).stream().filter(n -> n.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")).toList();
    namespaces = new ArrayList<>(namespaces);
    namespaces.addAll(List.of("team", "team-a"));
    List<String> paths = new ArrayList<>(words(provider == Provider.AZURE_KEY_VAULT ? "aA-" : "a-/.", 4));
    paths.addAll(List.of("jwt", "a-jwt", "jwks", "JWKS", "a-jwks", "a/jwks"));
    Map<String, String> owner = new HashMap<>();
    List<String> found = new ArrayList<>();
    for (String namespace : namespaces) {
      for (String path : paths) {
        if (Prefix.pathProblem(path, provider).isPresent()
            || (withRule && Prefix.clusterPathProblem(provider, template, path).isPresent())) {
          continue;
        }
        String key = Prefix.location(provider, Prefix.expand(template, namespace), path);
        for (String name : List.of(key, key + Target.JWKS_SUFFIX)) {
          String what = namespace + " + " + path + (name.equals(key) ? "" : " (JWK set)");
          // Key Vault compares names regardless of case.
          String compared = provider == Provider.AZURE_KEY_VAULT ? name.toLowerCase(Locale.ROOT) : name;
          String earlier = owner.putIfAbsent(compared, what);
          if (earlier != null && !earlier.startsWith(namespace + " + ")) {
            found.add(compared + ": " + earlier + ", " + what);
          }
        }
      }
    }
    return found;
  }

  /** Every non-empty word of at most {@code max} letters of the alphabet. */
  private static List<String> words(String alphabet, int max) {
    List<String> all = new ArrayList<>();
    List<String> last = List.of("");
    for (int n = 1; n <= max; n++) {
      List<String> next = new ArrayList<>();
      for (String w : last) {
        for (char c : alphabet.toCharArray()) {
          next.add(w + c);
        }
      }
      all.addAll(next);
      last = next;
    }
    return all;
  }

  @Test
  void aPathIsJudgedOnlyWhereNamespacesShareTheStore() {
    assertThat(Prefix.clusterPathProblem(Provider.AZURE_KEY_VAULT, "apps", "a-jwt")).as("a shared prefix").isEmpty();
    assertThat(Prefix.clusterPathProblem(Provider.VAULT, "{namespace}", "a-jwt")).isEmpty();
    assertThat(Prefix.clusterPathProblem(Provider.AWS_SECRETS_MANAGER, "{namespace}", "a-jwt")).isEmpty();
    assertThat(Prefix.clusterPathProblem(Provider.AZURE_KEY_VAULT, "{namespace}", "ajwt")).isEqualTo(Optional.empty());
  }
}
