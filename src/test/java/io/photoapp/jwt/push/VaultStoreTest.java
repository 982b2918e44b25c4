package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.photoapp.jwt.api.JwtSecretStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Vault KV version 2 over its HTTP API, against a local server that follows Vault's documented API. */
class VaultStoreTest {
  static final String NS = "photoapp";
  static final String LOCATION = "photoapp/photoapp/backend";
  final Stages stages = new Stages();
  final FakeVault vault = new FakeVault("kv", "kubernetes");
  final StoreFixtures.Cluster cluster = new StoreFixtures.Cluster();
  final VaultStore store = new VaultStore(cluster, Duration.ofSeconds(5));
  StoreServer server;

  @BeforeEach
  void start() throws Exception {
    server = StoreServer.http(vault);
    cluster.secrets.put(NS + "/vault-token/token", FakeVault.STATIC_TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Target target(String address, String auth, String extra) {
    JwtSecretStore s = StoreFixtures.store(NS, "team-vault", "{vault: {address: '" + address
        + "', mount: kv, pathPrefix: 'photoapp/{namespace}', auth: " + auth + extra + "}}");
    Target target = StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s),
        StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: team-vault}, path: backend}]"), true);
    assertThat(target.refusal()).isEmpty();
    return target;
  }

  private Target kubernetesTarget(String address) {
    return target(address, "{kubernetes: {role: " + FakeVault.ROLE + ", serviceAccountRef: {name: jwt-pusher}}}", "");
  }

  private Target tokenTarget() {
    return target(server.url() + "/", "{tokenSecretRef: {name: vault-token, key: token}}", ", namespace: team-a");
  }

  private void push(Target target, PushPayload payload) throws PushException {
    store.push(target, NS + "/photoapp-jwt", payload, Optional.empty());
  }

  @Test
  void kubernetesLoginWithATokenMintedForTheStoresServiceAccountThenOneWritePerStage() throws Exception {
    Target target = kubernetesTarget(server.url());
    assertThat(target.id()).isEqualTo("JwtSecretStore/team-vault:" + LOCATION);

    push(target, Stages.payload(stages.idle));
    List<StoreServer.Request> requests = server.take();
    assertThat(requests).extracting(StoreServer.Request::method, StoreServer.Request::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple("POST", "/v1/auth/kubernetes/login"),
        org.assertj.core.groups.Tuple.tuple("POST", "/v1/kv/data/" + LOCATION));
    StoreServer.Request login = requests.get(0);
    assertThat(login.header("X-Vault-Token")).isNull();
    assertThat(login.body()).contains("\"role\":\"" + FakeVault.ROLE + "\"");
    assertThat(vault.loginSubjects).containsExactly("system:serviceaccount:photoapp:jwt-pusher");
    assertThat(cluster.minted).containsExactly("photoapp/jwt-pusher [vault]");
    assertThat(requests.get(1).header("X-Vault-Token")).isEqualTo("hvs.login-1");

    Map<String, String> idle = vault.latest(LOCATION);
    assertThat(idle).containsOnlyKeys("jwt-secret-key", "kid", "alg", "jwks", "state");
    assertThat(idle.get("state")).as("the state names key ids, never a key").doesNotContain(stages.k1.value().reveal())
        .contains(stages.k1.id());
    assertThat(idle.get("jwt-secret-key")).isEqualTo(stages.k1.value().reveal());
    assertThat(idle.get("kid")).isEqualTo(stages.k1.id());
    assertThat(JWKSet.parse(idle.get("jwks")).getKeys()).extracting(k -> k.getKeyID()).containsExactly(stages.k1.id());

    push(target, Stages.payload(stages.publishing));
    Map<String, String> publishing = vault.latest(LOCATION);
    assertThat(publishing).containsOnlyKeys("jwt-secret-key", "kid", "alg", "jwt-secret-key-next", "jwks", "state");
    assertThat(publishing.get("jwt-secret-key-next")).isEqualTo(stages.k2.value().reveal());

    push(target, Stages.payload(stages.switching));
    assertThat(vault.latest(LOCATION).get("kid")).isEqualTo(stages.k2.id());
    assertThat(vault.latest(LOCATION).get("jwt-secret-key-previous")).isEqualTo(stages.k1.value().reveal());

    push(target, Stages.payload(stages.retired));
    assertThat(vault.latest(LOCATION)).containsOnlyKeys("jwt-secret-key", "kid", "alg", "jwks", "state");
    assertThat(vault.versions(LOCATION)).hasSize(4);
    assertThat(cluster.minted).as("a fresh token for each push").hasSize(4);
  }

  @Test
  void eachStageReadsBackAsItWasPushedWithTheSameLoginAndPath() throws Exception {
    Target target = kubernetesTarget(server.url());
    assertThat(store.read(target)).as("nothing written yet: the store holds no key set").isEmpty();
    for (var state : List.of(stages.idle, stages.publishing, stages.switching, stages.retiring, stages.retired)) {
      push(target, Stages.payload(state));
      server.take();
      var back = store.read(target).orElseThrow();
      List<StoreServer.Request> requests = server.take();
      assertThat(requests).extracting(StoreServer.Request::method, StoreServer.Request::path).containsExactly(
          org.assertj.core.groups.Tuple.tuple("POST", "/v1/auth/kubernetes/login"),
          org.assertj.core.groups.Tuple.tuple("GET", "/v1/kv/data/" + LOCATION));
      assertThat(back).isEqualTo(state);
    }
  }

  @Test
  void aReadBackTellsDriftFromAStoreWrittenBeforeTheStateField() throws Exception {
    Target target = tokenTarget();
    PushPayload payload = Stages.payload(stages.publishing);
    assertThat(store.compare(target, payload)).as("nothing there").isEqualTo(Store.Comparison.DIFFERENT);
    push(target, payload);
    assertThat(store.compare(target, payload)).isEqualTo(Store.Comparison.SAME);
    Map<String, String> older = new java.util.LinkedHashMap<>(vault.latest(LOCATION));
    older.remove("state");
    vault.write(LOCATION, older);
    assertThat(store.compare(target, payload)).isEqualTo(Store.Comparison.WITHOUT_STATE);
    older.put("jwks", "{\"keys\":[]}");
    vault.write(LOCATION, older);
    assertThat(store.compare(target, payload)).isEqualTo(Store.Comparison.DIFFERENT);
    assertThat(store.compare(target, Stages.payload(stages.switching))).as("another key set").isEqualTo(Store.Comparison.DIFFERENT);
  }

  @Test
  void aStoreWrittenWithoutStateReadsBackItsKeysWithAPhaseTheyAgreeWith() throws Exception {
    vault.write(LOCATION, Map.of("jwt-secret-key", stages.k2.value().reveal(), "alg", "HS256",
        "jwt-secret-key-previous", stages.k1.value().reveal()));
    var back = store.read(tokenTarget()).orElseThrow();
    assertThat(back.keySet()).isEqualTo(stages.k2.id() + "," + stages.k1.id());
    assertThat(back.phase()).isEqualTo(io.photoapp.jwt.api.Phase.Switching);
  }

  @Test
  void aReadThatFailsIsReasonedAndCarriesNoSecret() throws Exception {
    Target target = tokenTarget();
    push(target, Stages.payload(stages.idle));
    vault.failNext(FakeVault.errors(503, "Vault is sealed"));
    assertThatThrownBy(() -> store.read(target)).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable);
      assertThat(e.getMessage()).isEqualTo("read of kv/" + LOCATION + " refused (HTTP 503: Vault is sealed)")
          .doesNotContain(stages.k1.value().reveal());
    });
  }

  @Test
  void tokenFromTheStoresNamespaceAndTheVaultNamespaceHeader() throws Exception {
    push(tokenTarget(), Stages.payload(stages.idle));
    assertThat(server.take()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/v1/kv/data/" + LOCATION);
      assertThat(r.header("X-Vault-Token")).isEqualTo(FakeVault.STATIC_TOKEN);
      assertThat(r.header("X-Vault-Namespace")).isEqualTo("team-a");
    });
    assertThat(cluster.minted).isEmpty();
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
    vault.failNext(vault.handle(new StoreServer.Request("POST", "/v1/auth/kubernetes/login", null, Map.of(), "{\"role\":\""
        + FakeVault.ROLE + "\",\"jwt\":\"" + FakeVault.SERVICE_ACCOUNT_JWT + "\"}")), FakeVault.errors(503, "Vault is sealed"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable);
      assertThat(e.getMessage()).contains("HTTP 503: Vault is sealed").doesNotContain(key);
    });

    cluster.secrets.put(NS + "/vault-token/token", "hvs.revoked");
    assertThatThrownBy(() -> push(tokenTarget(), Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.AccessDenied);
      assertThat(e.getMessage()).doesNotContain("hvs.revoked");
    });
    cluster.secrets.clear();
    assertThatThrownBy(() -> push(tokenTarget(), Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.CredentialsUnavailable));

    cluster.secrets.put(NS + "/vault-token/token", FakeVault.STATIC_TOKEN);
    Target closed = tokenTarget();
    server.close();
    assertThatThrownBy(() -> push(closed, Stages.payload(stages.idle))).isInstanceOfSatisfying(
        PushException.class, e -> assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));
    assertThat(vault.versions(LOCATION)).isEmpty();
  }

  @Test
  void aStoreThatSendsHeadersAndStallsCostsTheDeadlineAndNoMore() throws Exception {
    VaultStore quick = new VaultStore(cluster, Duration.ofMillis(800));
    try (StoreServer stalling = StoreServer.stallingBody(200)) {
      Target target = target(stalling.url(), "{tokenSecretRef: {name: vault-token, key: token}}", "");
      long start = System.nanoTime();
      assertThatThrownBy(() -> quick.push(target, NS + "/photoapp-jwt", Stages.payload(stages.idle), Optional.empty()))
          .isInstanceOfSatisfying(PushException.class, e -> {
            assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable);
            assertThat(e.getMessage()).isEqualTo("Vault gave no complete answer within 800ms");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the deadline, not the stall")
          .isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aReplyLargerThanTheCapIsRefusedUnread() throws Exception {
    try (StoreServer huge = StoreServer.http(r -> StoreServer.Response.json(200, "{\"errors\":[\"" + "x".repeat(2 << 20) + "\"]}"))) {
      Target target = target(huge.url(), "{tokenSecretRef: {name: vault-token, key: token}}", "");
      assertThatThrownBy(() -> push(target, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreRejected);
        assertThat(e.getMessage()).isEqualTo("Vault answered with more than 1024 KiB");
      });
    }
  }

  @Test
  void httpsWithACaBundleInlineOrFromAConfigMapOfTheStoresNamespace() throws Exception {
    try (StoreServer tls = StoreServer.https(vault)) {
      String auth = "{tokenSecretRef: {name: vault-token, key: token}}";
      Target untrusted = target(tls.url(), auth, "");
      assertThatThrownBy(() -> push(untrusted, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e ->
          assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));

      String pem = TestTls.get().caPem().replace("\n", "\\n");
      push(target(tls.url(), auth, ", caBundle: {pem: \"" + pem + "\"}"), Stages.payload(stages.idle));

      cluster.configMaps.put(NS + "/vault-ca/ca.crt", TestTls.get().caPem());
      push(target(tls.url(), auth, ", caBundle: {configMapRef: {name: vault-ca, key: ca.crt}}"), Stages.payload(stages.publishing));
      assertThat(vault.versions(LOCATION)).hasSize(2);

      Target missing = target(tls.url(), auth, ", caBundle: {secretRef: {name: vault-ca, key: ca.crt}}");
      assertThatThrownBy(() -> push(missing, Stages.payload(stages.idle))).isInstanceOfSatisfying(PushException.class, e -> {
        assertThat(e.reason()).isEqualTo(PushException.Reason.ConfigurationError);
        assertThat(e.getMessage()).isEqualTo("caBundle: Secret photoapp/vault-ca has no key ca.crt");
      });
    }
  }

  /**
   * A tenant who can edit the ConfigMap a namespaced store's caBundle names (any text before the PEM block
   * parses) must not make the operator keep one HTTP client, and its selector thread, per content it ever
   * saw: the store's spec does not change, so nothing else drops them, and a restore read every 10s or a
   * push retry reads the ConfigMap again each time.
   */
  @Test
  void aCaBundleEditedOverAndOverKeepsOneClientNotOnePerContent() throws Exception {
    try (StoreServer tls = StoreServer.https(vault)) {
      Target target = target(tls.url(), "{tokenSecretRef: {name: vault-token, key: token}}",
          ", caBundle: {configMapRef: {name: vault-ca, key: ca.crt}}");
      cluster.configMaps.put(NS + "/vault-ca/ca.crt", TestTls.get().caPem());
      push(target, Stages.payload(stages.idle));
      long before = StoreFixtures.selectorThreads(Long.MAX_VALUE);
      for (int i = 0; i < 30; i++) {
        cluster.configMaps.put(NS + "/vault-ca/ca.crt", "edit " + i + "\n" + TestTls.get().caPem());
        push(target, Stages.payload(stages.idle));
      }
      assertThat(StoreFixtures.selectorThreads(before + 1)).as("HTTP client selector threads after 30 edits of the CA bundle")
          .isLessThanOrEqualTo(before + 1);
    }
  }

  /**
   * A namespace user who may create JwtSecretStores (no quota by default) must not make the operator keep
   * an HTTP client, and its selector thread, for every store it ever pushed to: they are kept for at most
   * StoreSessions.MAX stores, the least recently used dropped first.
   */
  @Test
  void manyStoresKeepABoundedNumberOfClients() throws Exception {
    long before = StoreFixtures.selectorThreads(Long.MAX_VALUE);
    for (int i = 0; i < StoreSessions.MAX + 40; i++) {
      JwtSecretStore s = StoreFixtures.store(NS, "team-vault-" + i, "{vault: {address: '" + server.url()
          + "', mount: kv, pathPrefix: 'photoapp/{namespace}', auth: {tokenSecretRef: {name: vault-token, key: token}}}}");
      Target target = StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s),
          StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: team-vault-" + i + "}, path: backend}]"), true);
      push(target, Stages.payload(stages.idle));
    }
    assertThat(StoreFixtures.selectorThreads(before + StoreSessions.MAX)).as("HTTP client selector threads after "
        + (StoreSessions.MAX + 40) + " stores").isLessThanOrEqualTo(before + StoreSessions.MAX);
  }

  @Test
  void aClusterStoreMayLogInAsTheOperatorItself() throws Exception {
    var s = StoreFixtures.clusterStore("ops-vault", "{vault: {address: '" + server.url() + "', mount: kv,"
        + " pathPrefix: 'apps/{namespace}', auth: {kubernetes: {role: " + FakeVault.ROLE + ", operatorIdentity: true}}},"
        + " conditions: [{namespaces: [" + NS + "]}]}");
    Target target = StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s),
        StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: ops-vault, kind: ClusterJwtSecretStore}}]"), true);
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle))).as("no token mounted")
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.reason()).isEqualTo(PushException.Reason.CredentialsUnavailable));
    cluster.operatorToken = FakeVault.SERVICE_ACCOUNT_JWT;
    push(target, Stages.payload(stages.idle));
    assertThat(vault.loginSubjects).containsExactly("operator");
    assertThat(cluster.minted).isEmpty();
    assertThat(vault.latest("apps/photoapp/photoapp-jwt")).containsKey("jwt-secret-key");
  }
}
