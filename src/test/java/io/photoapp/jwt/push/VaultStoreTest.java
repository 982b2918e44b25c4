package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.photoapp.jwt.api.CaBundle;
import io.photoapp.jwt.api.KeyReference;
import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.api.VaultAuth;
import io.photoapp.jwt.api.VaultKubernetesAuth;
import io.photoapp.jwt.api.VaultPush;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vault KV version 2 over its HTTP API, against a local server that follows Vault's documented API. */
class VaultStoreTest {
  static final String NS = "photoapp";
  final Stages stages = new Stages();
  final FakeVault vault = new FakeVault("kv", "kubernetes");
  StoreServer server;
  @TempDir Path dir;
  Path tokenFile;
  Map<String, String> secrets = Map.of("vault-token/token", FakeVault.STATIC_TOKEN);
  Map<String, String> configMaps = Map.of();

  final ClusterValues values = new ClusterValues() {
    @Override
    public Optional<String> secret(String namespace, KeyReference ref) {
      return Optional.ofNullable(NS.equals(namespace) ? secrets.get(ref.name + "/" + ref.key) : null);
    }

    @Override
    public Optional<String> configMap(String namespace, KeyReference ref) {
      return Optional.ofNullable(NS.equals(namespace) ? configMaps.get(ref.name + "/" + ref.key) : null);
    }
  };
  final VaultStore store = new VaultStore(values, Duration.ofSeconds(5));

  @BeforeEach
  void start() throws Exception {
    server = StoreServer.http(vault);
    tokenFile = Files.writeString(dir.resolve("token"), FakeVault.SERVICE_ACCOUNT_JWT + "\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Target kubernetesTarget(String address) {
    VaultPush v = new VaultPush();
    v.address = address;
    v.mount = "kv";
    v.path = "photoapp/production/jwt";
    v.auth = new VaultAuth();
    v.auth.kubernetes = new VaultKubernetesAuth();
    v.auth.kubernetes.role = FakeVault.ROLE;
    v.auth.kubernetes.tokenPath = tokenFile.toString();
    return target(v);
  }

  private Target tokenTarget() {
    VaultPush v = new VaultPush();
    v.address = server.url() + "/";
    v.mount = "kv";
    v.path = "photoapp/production/jwt";
    v.namespace = "team-a";
    v.auth = new VaultAuth();
    v.auth.tokenSecretRef = new KeyReference("vault-token", "token");
    return target(v);
  }

  private static Target target(VaultPush v) {
    PushTarget t = new PushTarget();
    t.vault = v;
    Target target = Target.of(List.of(t)).get(0);
    assertThat(target.invalid()).isEmpty();
    return target;
  }

  private void push(Target target, PushPayload payload) throws PushException {
    store.push(target, NS, NS + "/photoapp-jwt", payload, Optional.empty());
  }

  @Test
  void kubernetesLoginThenOneWriteOfEveryFieldPerStage() throws Exception {
    Target target = kubernetesTarget(server.url());
    assertThat(target.id()).isEqualTo("vault:" + server.url() + "/kv/photoapp/production/jwt");

    push(target, Stages.payload(stages.idle));
    List<StoreServer.Request> requests = server.take();
    assertThat(requests).extracting(StoreServer.Request::method, StoreServer.Request::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple("POST", "/v1/auth/kubernetes/login"),
        org.assertj.core.groups.Tuple.tuple("POST", "/v1/kv/data/photoapp/production/jwt"));
    StoreServer.Request login = requests.get(0);
    assertThat(login.header("Content-Type")).isEqualTo("application/json");
    assertThat(login.header("X-Vault-Token")).isNull();
    assertThat(login.body()).contains("\"role\":\"" + FakeVault.ROLE + "\"").contains("\"jwt\":\"" + FakeVault.SERVICE_ACCOUNT_JWT + "\"");
    assertThat(requests.get(1).header("X-Vault-Token")).isEqualTo("hvs.login-1");
    assertThat(requests.get(1).header("X-Vault-Namespace")).isNull();
    assertThat(requests.get(1).body()).startsWith("{\"data\":{");

    Map<String, String> idle = vault.latest("photoapp/production/jwt");
    assertThat(idle).containsOnlyKeys("jwt-secret-key", "kid", "alg", "jwks");
    assertThat(idle.get("jwt-secret-key")).isEqualTo(stages.k1.value().reveal());
    assertThat(idle.get("kid")).isEqualTo(stages.k1.id());
    assertThat(idle.get("alg")).isEqualTo("HS256");
    assertThat(JWKSet.parse(idle.get("jwks")).getKeys()).extracting(k -> k.getKeyID()).containsExactly(stages.k1.id());

    // Publishing: the next key joins, verify-only; current unchanged.
    push(target, Stages.payload(stages.publishing));
    Map<String, String> publishing = vault.latest("photoapp/production/jwt");
    assertThat(publishing).containsOnlyKeys("jwt-secret-key", "kid", "alg", "jwt-secret-key-next", "jwks");
    assertThat(publishing.get("jwt-secret-key")).isEqualTo(stages.k1.value().reveal());
    assertThat(publishing.get("jwt-secret-key-next")).isEqualTo(stages.k2.value().reveal());
    JWKSet jwks = JWKSet.parse(publishing.get("jwks"));
    assertThat(jwks.getKeys()).extracting(k -> k.getKeyID()).containsExactly(stages.k1.id(), stages.k2.id());
    assertThat(jwks.getKeyByKeyId(stages.k2.id()).getKeyOperations()).extracting(Object::toString).containsExactly("verify");

    // Switching: K2 current, K1 previous.
    push(target, Stages.payload(stages.switching));
    Map<String, String> switching = vault.latest("photoapp/production/jwt");
    assertThat(switching).containsOnlyKeys("jwt-secret-key", "kid", "alg", "jwt-secret-key-previous", "jwks");
    assertThat(switching.get("kid")).isEqualTo(stages.k2.id());
    assertThat(switching.get("jwt-secret-key-previous")).isEqualTo(stages.k1.value().reveal());

    // Retired: K2 alone; a login each time (the service-account token is read again).
    push(target, Stages.payload(stages.retired));
    assertThat(vault.latest("photoapp/production/jwt")).containsOnlyKeys("jwt-secret-key", "kid", "alg", "jwks");
    assertThat(vault.versions("photoapp/production/jwt")).hasSize(4);
    assertThat(server.take()).extracting(StoreServer.Request::path).filteredOn(p -> p.endsWith("/login")).hasSize(3);
  }

  @Test
  void tokenFromASecretAndTheVaultNamespaceHeader() throws Exception {
    push(tokenTarget(), Stages.payload(stages.idle));
    List<StoreServer.Request> requests = server.take();
    assertThat(requests).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/v1/kv/data/photoapp/production/jwt");
      assertThat(r.header("X-Vault-Token")).isEqualTo(FakeVault.STATIC_TOKEN);
      assertThat(r.header("X-Vault-Namespace")).isEqualTo("team-a");
    });
  }

  @Test
  void failuresAreReasonedAndCarryNoSecret() throws Exception {
    Target target = kubernetesTarget(server.url());
    String key = stages.k1.value().reveal();

    vault.failNext(FakeVault.errors(403, "permission denied"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.AccessDenied);
      assertThat(e.getMessage()).isEqualTo("login with role jwt-secret-operator at auth/kubernetes refused (HTTP 403: permission denied)");
    });
    vault.failNext(vault.handle(new StoreServer.Request("POST", "/v1/auth/kubernetes/login", null, Map.of(), "{\"role\":\"" + FakeVault.ROLE
        + "\",\"jwt\":\"" + FakeVault.SERVICE_ACCOUNT_JWT + "\"}")), FakeVault.errors(503, "Vault is sealed"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable);
      assertThat(e.getMessage()).contains("HTTP 503: Vault is sealed").doesNotContain(key);
    });

    secrets = Map.of("vault-token/token", "hvs.revoked");
    assertThatThrownBy(() -> push(tokenTarget(), Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.AccessDenied);
      assertThat(e.getMessage()).doesNotContain("hvs.revoked");
    });
    secrets = Map.of();
    assertThatThrownBy(() -> push(tokenTarget(), Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.CredentialsUnavailable));

    Files.delete(tokenFile);
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.CredentialsUnavailable);
      assertThat(e.getMessage()).contains("service-account token file");
    });

    secrets = Map.of("vault-token/token", FakeVault.STATIC_TOKEN);
    Target closed = tokenTarget();
    server.close();
    assertThatThrownBy(() -> push(closed, Stages.payload(stages.idle))).isInstanceOfSatisfying(
        PushException.class, e -> assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));
    assertThat(vault.versions("photoapp/production/jwt")).isEmpty();
  }

  @Test
  void httpsWithACaBundleInlineOrFromAConfigMap() throws Exception {
    try (StoreServer tls = StoreServer.https(vault)) {
      Target untrusted = kubernetesTarget(tls.url());
      assertThatThrownBy(() -> push(untrusted, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e ->
          assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));

      Target inline = kubernetesTarget(tls.url());
      inline.spec().vault.caBundle = new CaBundle();
      inline.spec().vault.caBundle.pem = TestTls.get().caPem();
      push(inline, Stages.payload(stages.idle));

      configMaps = Map.of("vault-ca/ca.crt", TestTls.get().caPem());
      Target fromConfigMap = kubernetesTarget(tls.url());
      fromConfigMap.spec().vault.caBundle = new CaBundle();
      fromConfigMap.spec().vault.caBundle.configMapRef = new KeyReference("vault-ca", "ca.crt");
      push(fromConfigMap, Stages.payload(stages.publishing));
      assertThat(vault.versions("photoapp/production/jwt")).hasSize(2);

      Target missing = kubernetesTarget(tls.url());
      missing.spec().vault.caBundle = new CaBundle();
      missing.spec().vault.caBundle.secretRef = new KeyReference("vault-ca", "ca.crt");
      assertThatThrownBy(() -> push(missing, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
        assertThat(e.reason()).isEqualTo(PushException.Reason.ConfigurationError);
        assertThat(e.getMessage()).isEqualTo("caBundle: Secret vault-ca has no key ca.crt");
      });
    }
  }
}
