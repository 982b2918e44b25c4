package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which entry a Secret is rebuilt from (one at most), and what a read of it comes to. */
class RestoreRulesTest {
  static final String NS = "photoapp";
  static final String VAULT = "{vault: {address: 'https://v:8200', pathPrefix: 'apps/{namespace}', auth: {tokenSecretRef: {name: t, key: k}}}}";
  static final String AWS = "{awsSecretsManager: {region: eu-west-1, namePrefix: '{namespace}', auth: {secretRef: {accessKeyIdSecretRef: {name: a, key: id}, secretAccessKeySecretRef: {name: a, key: s}}}}}";
  final StoreFixtures.Directory directory = new StoreFixtures.Directory()
      .with(StoreFixtures.store(NS, "vault", VAULT)).with(StoreFixtures.store(NS, "aws", AWS));
  final Stages stages = new Stages();

  private List<Target> resolve(String push) {
    return new StoreResolver(directory, false).resolve(StoreFixtures.jwtSecret(NS, "photoapp-jwt", push));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "one restore entry | [{storeRef: {name: vault}, restore: true}] | true | ",
      "no restore | [{storeRef: {name: vault}}] | false | ",
      "a second restore entry is refused | [{storeRef: {name: vault}, restore: true}, {storeRef: {name: vault}, path: other, restore: true}] | true | spec.push[1].restore: at most one entry may restore, and spec.push[0] does",
      "restore from AWS | [{storeRef: {name: aws}, restore: true}] | true | ",
      "a malformed timeout | [{storeRef: {name: vault}, restore: true, restoreTimeout: soon}] | false | spec.push[0]: \"soon\" is not a duration such as 90s, 30m or 4320h",
      "a resync under 10m | [{storeRef: {name: vault}, resyncInterval: 1m}] | false | spec.push[0].resyncInterval: at least 10m (AWS advises one write per secret per 10m)",
  })
  void restoreEntries(String name, String push, boolean firstRestores, String refusal) {
    List<Target> targets = resolve(push);
    assertThat(targets.get(0).restore()).isEqualTo(firstRestores);
    Optional<String> refused = targets.stream().flatMap(t -> t.refusal().stream()).map(Throwable::getMessage).findFirst();
    assertThat(refused.orElse(null)).isEqualTo(refusal);
  }

  @Test
  void aClusterStoreThatNamespacesShareCannotBeRestoredFrom() {
    String shared = "{vault: {address: 'https://v:8200', pathPrefix: 'apps', auth: {kubernetes: {role: r, operatorIdentity: true}}},"
        + " conditions: [{namespaces: [photoapp]}]}";
    String ownPrefix = shared.replace("pathPrefix: 'apps'", "pathPrefix: 'apps/{namespace}'");
    directory.with(StoreFixtures.clusterStore("shared", shared)).with(StoreFixtures.clusterStore("own", ownPrefix));
    Target refused = resolve("[{storeRef: {name: shared, kind: ClusterJwtSecretStore}, restore: true}]").get(0);
    assertThat(refused.refusal()).get().extracting(Throwable::getMessage).asString()
        .startsWith("spec.push[0].restore: ClusterJwtSecretStore shared has no {namespace} in its pathPrefix");
    assertThat(refused.restore()).as("nothing is read from it").isFalse();
    assertThat(resolve("[{storeRef: {name: shared, kind: ClusterJwtSecretStore}}]").get(0).refusal())
        .as("pushing to it stays the admin's choice").isEmpty();
    Target own = resolve("[{storeRef: {name: own, kind: ClusterJwtSecretStore}, restore: true}]").get(0);
    assertThat(own.refusal()).isEmpty();
    assertThat(own.restore()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "AWS | {awsSecretsManager: {region: eu-west-1, namePrefix: 'apps', auth: {jwt: {operatorIdentity: true}}}, conditions: [{namespaces: [photoapp]}]}",
      "Azure | {azureKeyVault: {vaultUrl: 'https://v.vault.azure.net', namePrefix: 'apps', auth: {workloadIdentity: {operator: {}}}}, conditions: [{namespaces: [photoapp]}]}",
  })
  void aSharedAwsOrAzureClusterStoreCannotBeRestoredFromEither(String name, String spec) {
    directory.with(StoreFixtures.clusterStore("shared", spec)).with(StoreFixtures.clusterStore("own",
        spec.replace("namePrefix: 'apps'", "namePrefix: 'apps-{namespace}'")));
    Target refused = resolve("[{storeRef: {name: shared, kind: ClusterJwtSecretStore}, restore: true}]").get(0);
    assertThat(refused.refusal()).get().extracting(Throwable::getMessage).asString()
        .startsWith("spec.push[0].restore: ClusterJwtSecretStore shared has no {namespace} in its namePrefix");
    Target own = resolve("[{storeRef: {name: own, kind: ClusterJwtSecretStore}, path: jwt, restore: true}]").get(0);
    assertThat(own.refusal()).isEmpty();
    assertThat(own.restore()).isTrue();
  }

  @Test
  void aRestoreEntryWhoseStoreIsMissingStaysTheRestoreTarget() {
    Target t = resolve("[{storeRef: {name: not-yet}, restore: true, restoreTimeout: 30m}]").get(0);
    assertThat(t.refusal()).isPresent();
    assertThat(t.restore()).isTrue();
    assertThat(t.readBack().restoreTimeout()).isEqualTo(Duration.ofMinutes(30));
  }

  static final Instant T = Instant.parse("2026-11-28T06:00:00Z");

  private RestorePlanner.Plan decide(RestorePlanner.Answer answer, Duration waited) {
    Target target = resolve("[{storeRef: {name: vault}, restore: true}]").get(0);
    Optional<PushException> failure = answer == RestorePlanner.Answer.FAILED
        ? Optional.of(new PushException(PushException.Reason.StoreUnreachable, "cannot reach Vault: ConnectException"))
        : Optional.empty();
    Optional<io.photoapp.jwt.rotation.KeyState> held = answer == RestorePlanner.Answer.FOUND ? Optional.of(stages.idle) : Optional.empty();
    return RestorePlanner.decide(new RestorePlanner.Read(target, answer, held, failure), T.plus(waited), T);
  }

  /** A read in flight is waited for even past the timeout: it answers within its own 10s deadline, perhaps with the key set. */
  @ParameterizedTest(name = "{0} after {1}m: {2}")
  @CsvSource({
      "FOUND, 0, RESTORE",
      "FOUND, 60, RESTORE",
      "EMPTY, 0, GENERATE",
      "FAILED, 0, WAIT",
      "FAILED, 9, WAIT",
      "FAILED, 10, GENERATE_AFTER_TIMEOUT",
      "IN_FLIGHT, 1, WAIT",
      "IN_FLIGHT, 11, WAIT",
  })
  void whatAReadComesTo(RestorePlanner.Answer answer, long minutes, RestorePlanner.Step step) {
    RestorePlanner.Plan plan = decide(answer, Duration.ofMinutes(minutes));
    assertThat(plan.step()).isEqualTo(step);
    if (step == RestorePlanner.Step.WAIT) {
      assertThat(plan.recheckAfter()).get().matches(d -> !d.isNegative() && d.compareTo(RestorePlanner.RETRY) <= 0);
      assertThat(plan.message()).contains("JwtSecretStore/vault:apps/photoapp/photoapp-jwt");
    }
  }

  @Test
  void onlyAJwtSecretWithNoSecretAndNoKeyReads() {
    assertThat(RestorePlanner.reads(false, false, true)).isTrue();
    assertThat(RestorePlanner.reads(true, false, true)).as("a Secret exists").isFalse();
    assertThat(RestorePlanner.reads(false, true, true)).as("a Secret deleted under a live JwtSecret").isFalse();
    assertThat(RestorePlanner.reads(false, false, false)).isFalse();
  }
}
