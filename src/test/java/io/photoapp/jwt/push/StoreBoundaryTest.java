package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import io.photoapp.jwt.api.PushStatus;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The boundary between who defines a store and who uses it, on the mock API server with the real
 * operator and a Vault that records every request. Each test is an exploit a tenant with only
 * {@code create jwtsecrets} in one namespace could run against the old inline {@code spec.push}; each
 * must now send nothing anywhere, or send only under the tenant's own identity and prefix.
 */
@MockApiServer
class StoreBoundaryTest {
  final FakeVault vault = new FakeVault("secret", "kubernetes");
  StoreServer vaultServer;
  /** A listener a tenant controls: it must never receive a request. */
  StoreServer listener;
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) throws Exception {
    h = harness;
    vaultServer = h.closeAfterOperators(StoreServer.https(vault));
    listener = h.closeAfterOperators(
        StoreServer.http(r -> StoreServer.Response.json(200, "{\"auth\":{\"client_token\":\"captured\"}}")));
    for (String ns : List.of("team-a", "team-b", "team-c")) {
      h.namespace(ns, Map.of("tenant", ns));
    }
    h.start(OperatorConfig.defaults().withMetricsPort(-1));
  }

  private String vaultSpec(String address, String auth) {
    return "vault: {address: \"" + address + "\", pathPrefix: \"photoapp/{namespace}\", caBundle: {pem: \""
        + TestTls.get().caPem().replace("\n", "\\n") + "\"}, auth: " + auth + "}";
  }

  /** Created as kubectl would send it: fields the types do not know included. */
  private void jwtSecret(String ns, String name, String push) {
    h.client.resource("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: %s, namespace: %s}
        spec:
          environment: production
          push: %s
        """.formatted(name, ns, push)).create();
  }

  private PushStatus awaitEntry(String ns, String name) {
    JwtSecret js = h.awaitStatus(ns, name, x -> x.getStatus().push != null && !x.getStatus().push.isEmpty()
        && (x.getStatus().push.get(0).reason != null || x.getStatus().push.get(0).keySet != null));
    return js.getStatus().push.get(0);
  }

  private Condition storeReady(String ns, String name) {
    return h.awaitCondition(() -> {
      var s = ns == null ? h.client.resources(ClusterJwtSecretStore.class).withName(name).get()
          : h.client.resources(JwtSecretStore.class).inNamespace(ns).withName(name).get();
      return s == null || s.getStatus() == null ? null : Conditions.find(s.getStatus().conditions, Conditions.READY).orElse(null);
    });
  }

  @Test
  void aClusterStoreWithoutServiceAccountNamespacePushesEachNamespaceUnderItsOwnIdentityAndPrefix() {
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: ClusterJwtSecretStore
        metadata: {name: shared-vault}
        spec:
          %s
          conditions: [{namespaces: [team-a, team-b]}]
        """.formatted(vaultSpec(vaultServer.url(), "{kubernetes: {role: " + FakeVault.ROLE
        + ", serviceAccountRef: {name: jwt-pusher, audiences: [vault]}}}")));
    assertThat(storeReady(null, "shared-vault").getReason()).isEqualTo("Valid");
    jwtSecret("team-a", "app", "[{storeRef: {name: shared-vault, kind: ClusterJwtSecretStore}}]");
    jwtSecret("team-b", "app", "[{storeRef: {name: shared-vault, kind: ClusterJwtSecretStore}}]");
    assertThat(awaitEntry("team-a", "app").target).isEqualTo("ClusterJwtSecretStore/shared-vault:photoapp/team-a/app");
    assertThat(awaitEntry("team-b", "app").target).isEqualTo("ClusterJwtSecretStore/shared-vault:photoapp/team-b/app");
    assertThat(awaitEntry("team-a", "app").keySet).isNotNull();
    assertThat(awaitEntry("team-b", "app").keySet).isNotNull();

    assertThat(vault.loginSubjects).as("never the operator's own identity").containsExactlyInAnyOrder(
        "system:serviceaccount:team-a:jwt-pusher", "system:serviceaccount:team-b:jwt-pusher");
    assertThat(h.dispatcher.mintedTokens).containsExactlyInAnyOrder("team-a/jwt-pusher [vault]", "team-b/jwt-pusher [vault]");
    assertThat(vault.latest("photoapp/team-a/app").get("jwt-secret-key"))
        .isEqualTo(OperatorHarness.data(h.secret("team-a", "app"), "jwt-secret-key"));
    assertThat(vault.latest("photoapp/team-b/app").get("jwt-secret-key"))
        .isEqualTo(OperatorHarness.data(h.secret("team-b", "app"), "jwt-secret-key"));
    assertThat(vault.paths()).containsExactlyInAnyOrder("photoapp/team-a/app", "photoapp/team-b/app");
  }

  @Test
  void theOldInlineVaultAddressSendsNothingToTheTenantsListener() {
    // On the old design this posted the operator's own ServiceAccount token to the listener.
    jwtSecret("team-a", "app", "[{vault: {address: \"" + listener.url() + "\", path: team-b/production/jwt,"
        + " auth: {kubernetes: {role: r, tokenPath: /proc/self/environ}}}}]");
    PushStatus entry = awaitEntry("team-a", "app");
    assertThat(entry.reason).isEqualTo("InvalidTarget");
    assertThat(entry.message).isEqualTo("spec.push[0].storeRef.name is required");
    assertThat(listener.take()).isEmpty();
    assertThat(h.dispatcher.mintedTokens).isEmpty();
  }

  @Test
  void aNamespacedStoreWithPlainHttpIsRefusedAndNothingIsSent() {
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: team-vault, namespace: team-a}
        spec:
          vault: {address: "%s", pathPrefix: "photoapp/{namespace}", auth: {kubernetes: {role: r, serviceAccountRef: {name: jwt-pusher}}}}
        """.formatted(listener.url()));
    Condition ready = storeReady("team-a", "team-vault");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("InvalidStore");
    assertThat(ready.getMessage()).contains("spec.vault.address must use https");
    jwtSecret("team-a", "app", "[{storeRef: {name: team-vault}}]");
    PushStatus entry = awaitEntry("team-a", "app");
    assertThat(entry.reason).isEqualTo("StoreNotReady");
    assertThat(listener.take()).isEmpty();
    assertThat(h.dispatcher.mintedTokens).isEmpty();
  }

  @Test
  void aStoreOfAnotherNamespaceCannotBeNamed() {
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: team-vault, namespace: team-a}
        spec:
          %s
        """.formatted(vaultSpec(vaultServer.url(), "{kubernetes: {role: " + FakeVault.ROLE + ", serviceAccountRef: {name: jwt-pusher}}}")));
    // A storeRef has no namespace: the field is not in the schema, and team-b's lookup stays in team-b.
    jwtSecret("team-b", "app", "[{storeRef: {name: team-vault, namespace: team-a}}]");
    PushStatus entry = awaitEntry("team-b", "app");
    assertThat(entry.reason).isEqualTo("StoreNotFound");
    assertThat(entry.message).isEqualTo("JwtSecretStore team-vault does not exist in namespace team-b");
    assertThat(vaultServer.take()).isEmpty();
    assertThat(h.dispatcher.mintedTokens).isEmpty();
  }

  @Test
  void aClusterStoreWhoseConditionsExcludeTheNamespaceSendsNothing() {
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: ClusterJwtSecretStore
        metadata: {name: team-a-only}
        spec:
          %s
          conditions: [{namespaceSelector: {matchLabels: {tenant: team-a}}}]
        """.formatted(vaultSpec(vaultServer.url(), "{kubernetes: {role: " + FakeVault.ROLE + ", operatorIdentity: true}}")));
    jwtSecret("team-c", "app", "[{storeRef: {name: team-a-only, kind: ClusterJwtSecretStore}}]");
    PushStatus entry = awaitEntry("team-c", "app");
    assertThat(entry.reason).isEqualTo("StoreNotAllowed");
    assertThat(entry.message).isEqualTo("ClusterJwtSecretStore team-a-only does not admit namespace team-c (spec.conditions)");
    assertThat(vaultServer.take()).isEmpty();
  }

  @Test
  void theOperatorsOwnIdentityIsRefusedInANamespacedStore() {
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: team-vault, namespace: team-a}
        spec:
          %s
        """.formatted(vaultSpec(vaultServer.url(), "{kubernetes: {role: " + FakeVault.ROLE + ", operatorIdentity: true}}")));
    Condition ready = storeReady("team-a", "team-vault");
    assertThat(ready.getReason()).isEqualTo("InvalidStore");
    assertThat(ready.getMessage()).contains("operatorIdentity is allowed only in a ClusterJwtSecretStore");
    jwtSecret("team-a", "app", "[{storeRef: {name: team-vault}}]");
    assertThat(awaitEntry("team-a", "app").reason).isEqualTo("StoreNotReady");
    assertThat(vaultServer.take()).isEmpty();
  }

  @Test
  void aPathThatWouldLeaveThePrefixSendsNothing() {
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: team-vault, namespace: team-a}
        spec:
          %s
        """.formatted(vaultSpec(vaultServer.url(), "{kubernetes: {role: " + FakeVault.ROLE + ", serviceAccountRef: {name: jwt-pusher}}}")));
    Map<String, String> paths = Map.of("dots", "../../team-b/production/jwt", "slash", "/team-b/production/jwt",
        "encoded", "%2e%2e/team-b/jwt", "dot", "./app");
    paths.forEach((name, path) -> jwtSecret("team-a", name, "[{storeRef: {name: team-vault}, path: \"" + path + "\"}]"));
    paths.keySet().forEach(name -> assertThat(awaitEntry("team-a", name).reason).as(name).isEqualTo("InvalidTarget"));
    assertThat(vaultServer.take()).isEmpty();
    assertThat(h.dispatcher.mintedTokens).isEmpty();
  }

  @Test
  void aStoreWhoseTokenSecretIsMissingIsAuthUnavailable() {
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: team-vault, namespace: team-a}
        spec:
          %s
        """.formatted(vaultSpec(vaultServer.url(), "{tokenSecretRef: {name: vault-token, key: token}}")));
    Condition ready = storeReady("team-a", "team-vault");
    assertThat(ready.getReason()).isEqualTo("AuthUnavailable");
    assertThat(ready.getMessage()).isEqualTo("Secret team-a/vault-token has no key token");
    h.client.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata().withName("vault-token").endMetadata()
        .withData(Map.of("token", Base64.getEncoder().encodeToString(FakeVault.STATIC_TOKEN.getBytes(StandardCharsets.UTF_8))))
        .build()).create();
    jwtSecret("team-a", "app", "[{storeRef: {name: team-vault}}]");
    assertThat(h.awaitStatus("team-a", "app", x -> x.getStatus().push != null && x.getStatus().push.get(0).keySet != null)
        .getStatus().push.get(0).target).isEqualTo("JwtSecretStore/team-vault:photoapp/team-a/app");
    assertThat(h.eventReasons("team-a", "app")).doesNotContain("PushFailed");
  }

  @Test
  void aMalformedStoreIsReportedAndEveryOtherStoreServed() {
    // On a cluster without the schema: a wrong-typed field must not stop the store informer.
    h.client.resource("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: broken, namespace: team-a}
        spec:
          vault: {address: "https://v", pathPrefix: p, auth: "a string, not an object"}
        """).create();
    h.client.resource("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: ClusterJwtSecretStore
        metadata: {name: broken-cluster}
        spec:
          conditions: {namespaces: "not a list"}
        """).create();
    Condition broken = storeReady("team-a", "broken");
    assertThat(broken.getReason()).isEqualTo("InvalidStore");
    assertThat(broken.getMessage()).isEqualTo("spec.vault.auth has the wrong type");
    assertThat(storeReady(null, "broken-cluster").getReason()).isEqualTo("InvalidStore");
    h.applyStore("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: team-vault, namespace: team-a}
        spec:
          %s
        """.formatted(vaultSpec(vaultServer.url(), "{kubernetes: {role: " + FakeVault.ROLE + ", serviceAccountRef: {name: jwt-pusher}}}")));
    jwtSecret("team-a", "app", "[{storeRef: {name: team-vault}}]");
    assertThat(h.awaitStatus("team-a", "app", x -> x.getStatus().push != null && x.getStatus().push.get(0).keySet != null)
        .getStatus().push.get(0).target).isEqualTo("JwtSecretStore/team-vault:photoapp/team-a/app");
  }
}
