package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Azure Key Vault through the Azure SDK, against a local HTTPS server that follows the Set Secret API
 * and its bearer-token challenge. The SDK sends bearer tokens over HTTPS only, so the server has a
 * self-signed certificate and the test gives the SDK a JDK HttpClient that trusts it, and credentials
 * that hand out a test token in place of Entra ID's, recording which identity each was made for.
 */
class AzureKeyVaultStoreTest {
  static final String NS = "photoapp";
  final Stages stages = new Stages();
  final FakeKeyVault keyVault = new FakeKeyVault();
  static final String CLIENT = "11111111-2222-3333-4444-555555555555";
  static final String TENANT = "66666666-7777-8888-9999-000000000000";
  final List<String> scopes = new CopyOnWriteArrayList<>();
  /** "kind tenant/client detail" for each credential made. */
  final List<String> made = new CopyOnWriteArrayList<>();
  final StoreFixtures.Cluster cluster = new StoreFixtures.Cluster();
  StoreServer server;
  AzureKeyVaultStore store;

  @BeforeEach
  void start() throws Exception {
    server = StoreServer.https(keyVault);
    keyVault.at(server.url());
    TokenCredential credential = new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> getTokenSync(request));
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext request) {
        scopes.addAll(request.getScopes());
        return new AccessToken(FakeKeyVault.TOKEN, OffsetDateTime.now().plusHours(1));
      }
    };
    cluster.secrets.put(NS + "/azure-sp/secret", "client-secret-value");
    AzureCredentials credentials = new AzureCredentials() {
      @Override
      public TokenCredential clientSecret(String tenantId, String clientId, String secret) {
        made.add("secret " + tenantId + "/" + clientId + (secret.equals("client-secret-value") ? " (the Secret's value)" : ""));
        return credential;
      }

      @Override
      public TokenCredential clientAssertion(String tenantId, String clientId, java.util.function.Supplier<String> assertion) {
        // Entra ID asks for the assertion when it issues a token: its subject is what it trusts.
        made.add("assertion " + tenantId + "/" + clientId + " " + StoreFixtures.subjectOf(assertion.get()));
        return credential;
      }

      @Override
      public TokenCredential operator() {
        made.add("operator");
        return credential;
      }
    };
    store = new AzureKeyVaultStore(cluster, credentials, () -> new JdkHttpClientBuilder(
        java.net.http.HttpClient.newBuilder().sslContext(TestTls.get().clientContext())).build(), false);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Target target(String auth) {
    var s = StoreFixtures.store(NS, "team-azure", "{azureKeyVault: {vaultUrl: '" + server.url()
        + "', namePrefix: '{namespace}', auth: " + auth + "}}");
    Target target = StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s),
        StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: team-azure}, path: jwt}]"), true);
    assertThat(target.refusal()).isEmpty();
    return target;
  }

  private Target target() {
    return target("{clientSecret: {clientId: " + CLIENT + ", tenantId: " + TENANT + ", secretRef: {name: azure-sp, key: secret}}}");
  }

  private void push(Target target, PushPayload payload, String held) throws PushException {
    store.push(target, NS + "/photoapp-jwt", payload, Optional.ofNullable(held));
  }

  /**
   * A tenant who can edit the Secret holding a namespaced store's client secret must not make the operator
   * keep one SecretClient (and its HTTP client's selector thread) per value it ever saw: the store's spec
   * does not change, so nothing else drops them.
   */
  @Test
  void aClientSecretEditedOverAndOverKeepsOneClientNotOnePerValue() throws Exception {
    Target target = target();
    push(target, Stages.payload(stages.idle), null);
    long before = StoreFixtures.selectorThreads(Long.MAX_VALUE);
    for (int i = 0; i < 30; i++) {
      cluster.secrets.put(NS + "/azure-sp/secret", "client-secret-value-" + i);
      push(target, Stages.payload(stages.idle), null);
    }
    assertThat(made).hasSize(31);
    assertThat(StoreFixtures.selectorThreads(before + 1)).as("HTTP client selector threads after 30 edits of the client secret")
        .isLessThanOrEqualTo(before + 1);
  }

  @Test
  void setsTheJwkSetThenTheCurrentKeyWithABearerToken() throws Exception {
    Target target = target();
    assertThat(target.id()).isEqualTo("JwtSecretStore/team-azure:photoapp-jwt");
    assertThat(made).isEmpty();

    push(target, Stages.payload(stages.idle), null);
    List<StoreServer.Request> requests = server.take();
    // The SDK's challenge: the first request goes without a token and gets a 401 naming the tenant and resource.
    assertThat(requests.get(0).header("Authorization")).isNull();
    List<StoreServer.Request> writes = requests.subList(1, requests.size());
    assertThat(writes).extracting(StoreServer.Request::method, StoreServer.Request::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple("PUT", "/secrets/photoapp-jwt-jwks"),
        org.assertj.core.groups.Tuple.tuple("PUT", "/secrets/photoapp-jwt"));
    for (StoreServer.Request r : writes) {
      assertThat(r.header("Authorization")).isEqualTo("Bearer " + FakeKeyVault.TOKEN);
      assertThat(r.query()).startsWith("api-version=");
      assertThat(r.header("Content-Type")).startsWith("application/json");
    }
    assertThat(scopes).containsOnly("https://vault.azure.net/.default");
    assertThat(made).containsExactly("secret " + TENANT + "/" + CLIENT + " (the Secret's value)");

    FakeKeyVault.Version key = keyVault.latest("photoapp-jwt");
    assertThat(key.value()).isEqualTo(stages.k1.value().reveal());
    assertThat(key.contentType()).isEqualTo("text/plain");
    assertThat(key.tags()).containsEntry("kid", stages.k1.id()).containsEntry("managed-by", "jwt-secret-operator")
        .containsEntry("jwtsecret", "photoapp.photoapp-jwt");
    FakeKeyVault.Version jwks = keyVault.latest("photoapp-jwt-jwks");
    assertThat(jwks.contentType()).isEqualTo("application/jwk-set+json");
    assertThat(jwks.tags()).containsEntry("key-set", stages.k1.id());
    assertThat(JWKSet.parse(jwks.value()).getKeys()).extracting(k -> k.getKeyID()).containsExactly(stages.k1.id());

    // Publishing: only the JWK set changes.
    push(target, Stages.payload(stages.publishing), stages.idle.keySet());
    assertThat(server.take()).extracting(StoreServer.Request::path).containsExactly("/secrets/photoapp-jwt-jwks");
    assertThat(JWKSet.parse(keyVault.latest("photoapp-jwt-jwks").value()).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k1.id(), stages.k2.id());

    // Switching: the JWK set first, then the new current key.
    push(target, Stages.payload(stages.switching), stages.publishing.keySet());
    assertThat(server.take()).extracting(StoreServer.Request::path).containsExactly("/secrets/photoapp-jwt-jwks", "/secrets/photoapp-jwt");
    assertThat(keyVault.latest("photoapp-jwt").value()).isEqualTo(stages.k2.value().reveal());
    assertThat(keyVault.versions("photoapp-jwt")).hasSize(2);
  }

  @Test
  void failuresAreReasonedAndCarryNoSecret() throws Exception {
    Target target = target();
    keyVault.failNext(FakeKeyVault.error(403, "Forbidden", "The user, group or application does not have secrets set permission on key vault"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.AccessDenied);
      assertThat(e.getMessage()).contains("403").contains("does not have secrets set permission")
          .doesNotContain(stages.k1.value().reveal()).doesNotContain(FakeKeyVault.TOKEN);
    });
    keyVault.failNext(FakeKeyVault.error(503, "ServiceUnavailable", "try later"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));
    keyVault.failNext(FakeKeyVault.error(409, "Conflict", "Secret photoapp-jwt is currently in a deleted but recoverable state"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.StoreRejected);
      assertThat(e.getMessage()).isEqualTo(
          "Key Vault refused (HTTP 409): Conflict: Secret photoapp-jwt is currently in a deleted but recoverable state");
    });
    assertThat(keyVault.versions("photoapp-jwt")).isEmpty();

    server.close();
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));
  }

  @Test
  void workloadIdentityAssertsATokenMintedForTheStoresServiceAccount() throws Exception {
    Target target = target("{workloadIdentity: {clientId: " + CLIENT + ", tenantId: " + TENANT
        + ", serviceAccountRef: {name: jwt-pusher}}}");
    push(target, Stages.payload(stages.idle), null);
    assertThat(made).containsExactly("assertion " + TENANT + "/" + CLIENT + " system:serviceaccount:photoapp:jwt-pusher");
    assertThat(cluster.minted).containsExactly("photoapp/jwt-pusher [api://AzureADTokenExchange]");
    assertThat(keyVault.latest("photoapp-jwt").value()).isEqualTo(stages.k1.value().reveal());
  }

  @Test
  void aClusterStoreMayUseTheOperatorsOwnCredential() throws Exception {
    var s = StoreFixtures.clusterStore("ops-azure", "{azureKeyVault: {vaultUrl: '" + server.url()
        + "', namePrefix: '{namespace}', auth: {workloadIdentity: {operator: {}}}}, conditions: [{namespaces: [" + NS + "]}]}");
    Target target = StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s),
        StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: ops-azure, kind: ClusterJwtSecretStore}, path: jwt}]"), true);
    push(target, Stages.payload(stages.idle), null);
    assertThat(made).containsExactly("operator");
    assertThat(cluster.minted).isEmpty();
    assertThat(keyVault.latest("photoapp-jwt").value()).isEqualTo(stages.k1.value().reveal());
  }

  @Test
  void readsBackEveryStageItPushedWithTheSameIdentity() throws Exception {
    Target target = target();
    assertThat(store.read(target)).as("nothing there yet").isEmpty();
    String held = null;
    for (var stage : List.of(stages.idle, stages.publishing, stages.switching, stages.retiring, stages.retired)) {
      push(target, Stages.payload(stage), held);
      held = stage.keySet();
      server.take();
      assertThat(store.read(target)).as(stage.phase() + " " + stage.keySet()).contains(stage);
      assertThat(server.take()).extracting(StoreServer.Request::method, StoreServer.Request::path).containsExactly(
          org.assertj.core.groups.Tuple.tuple("GET", "/secrets/photoapp-jwt/"),
          org.assertj.core.groups.Tuple.tuple("GET", "/secrets/photoapp-jwt-jwks/"));
      assertThat(store.compare(target, Stages.payload(stage))).isEqualTo(Store.Comparison.SAME);
    }
    assertThat(made).as("one credential, for pushes and reads").hasSize(1);
    assertThat(JWKSet.parse(keyVault.latest("photoapp-jwt-jwks").value()).getKeys()).as("a JWK set its readers parse as before")
        .extracting(k -> k.getKeyID()).containsExactly(stages.k2.id());
  }

  @Test
  void aVaultEditedByHandOrWrittenByAnEarlierVersionComparesAsSuch() throws Exception {
    Target target = target();
    push(target, Stages.payload(stages.idle), null);
    keyVault.write("photoapp-jwt-jwks", Stages.payload(stages.idle).jwks());
    assertThat(store.compare(target, Stages.payload(stages.idle))).isEqualTo(Store.Comparison.WITHOUT_STATE);
    keyVault.write("photoapp-jwt", stages.k2.value().reveal());
    assertThat(store.compare(target, Stages.payload(stages.idle))).isEqualTo(Store.Comparison.DIFFERENT);
    assertThat(store.read(target)).as("a current key the JWK set does not hold: restored alone").get()
        .satisfies(k -> assertThat(k.keySet()).isEqualTo(stages.k2.id()));
  }

  @Test
  void aReplyOverTheCapOrMalformedNeverCrashesTheReadNorQuotesIt() throws Exception {
    Target target = target();
    push(target, Stages.payload(stages.idle), null);
    keyVault.failNext(StoreServer.Response.json(200, "{\"value\":\"" + "k".repeat(2 << 20) + "\"}"));
    assertThatThrownBy(() -> store.read(target)).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.StoreRejected);
      assertThat(e.getMessage()).isEqualTo("Key Vault answered with more than 1024 KiB");
    });
    keyVault.failNext(StoreServer.Response.json(200, "{\"value\": [\"" + stages.k1.value().reveal() + "\"]"));
    assertThatThrownBy(() -> store.read(target)).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.getMessage()).doesNotContain(stages.k1.value().reveal()));
    keyVault.write("photoapp-jwt-jwks", "{\"keys\": {\"kty\": \"oct\"}, \"x-jwt-secret-operator-state\": \"x\"}");
    assertThat(store.read(target)).as("the current key alone").get()
        .satisfies(k -> assertThat(k.keySet()).isEqualTo(stages.k1.id()));
  }

  private Target shared(String namespace, String path) {
    var s = StoreFixtures.clusterStore("ops-azure", "{azureKeyVault: {vaultUrl: '" + server.url()
        + "', namePrefix: '{namespace}', auth: {workloadIdentity: {operator: {}}}}, conditions: [{namespaces: [team, team-a]}]}");
    return StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s), StoreFixtures.jwtSecret(namespace, "app",
        "[{storeRef: {name: ops-azure, kind: ClusterJwtSecretStore}, path: " + path + "}]"), true);
  }

  @Test
  void aNamespaceCannotOverwriteAnotherNamespacesKeyThroughTheDashInKeyVaultNames() throws Exception {
    Target victim = shared("team-a", "jwt");
    assertThat(victim.location()).isEqualTo("team-a-jwt");
    store.push(victim, "team-a/app", Stages.payload(stages.idle), Optional.empty());
    server.take();

    // team + a-jwt would be team-a-jwt: team-a's key. As the operator does, a target is pushed only when usable.
    Target attacker = shared("team", "a-jwt");
    if (attacker.refusal().isEmpty()) {
      store.push(attacker, "team/app", Stages.payload(stages.publishing), Optional.empty());
    }

    assertThat(server.take()).extracting(StoreServer.Request::path).as("nothing sent").isEmpty();
    assertThat(keyVault.versions("team-a-jwt")).hasSize(1);
    assertThat(keyVault.latest("team-a-jwt").value().equals(stages.k1.value().reveal())).as("team-a's key kept").isTrue();
    assertThat(keyVault.latest("team-a-jwt").tags()).containsEntry("jwtsecret", "team-a.app");
    assertThat(attacker.refusal()).hasValueSatisfying(e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.InvalidTarget);
      assertThat(e.getMessage()).startsWith("spec.push[0].path of an Azure Key Vault ClusterJwtSecretStore whose namePrefix"
          + " holds {namespace} may not hold '-'");
    });
  }

  @Test
  void aNamespaceCannotReadAnotherNamespacesKeySetThroughTheDashInKeyVaultNames() throws Exception {
    Target victim = shared("team-a", "jwt");
    store.push(victim, "team-a/jwt", Stages.payload(stages.idle), Optional.empty());
    assertThat(store.read(victim)).contains(stages.idle);
    assertThat(shared("team", "a-jwt").refusal()).as("refused when resolved").isPresent();
    // Should a target of namespace team still name team-a's secret (a store resolved by an earlier
    // version, or a rule missed), the read refuses it by the jwtsecret tag.
    Target attacker = Target.usable(victim.resolved(), "team", victim.location());

    for (var attempt : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(() -> store.read(attacker),
        () -> store.compare(attacker, Stages.payload(stages.publishing)))) {
      assertThatThrownBy(attempt).isInstanceOfSatisfying(PushException.class, e -> {
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreRejected);
        assertThat(e.getMessage()).contains("not tagged as written for namespace team ").doesNotContain(stages.k1.value().reveal());
      });
    }
  }
}
