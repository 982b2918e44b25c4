package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets.Pushes;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Secrets;
import io.photoapp.jwt.testing.Stores;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rebuilding from a store ({@code spec.push[].restore}) on the mock API server with a local Vault: a
 * JwtSecret and its Secret lost (a namespace deleted, a cluster rebuilt) come back with the key ids the
 * store holds; a weak key in the store is replaced; a store that does not answer holds the JwtSecret in
 * RestorePending until restoreTimeout, then a fresh key is made.
 */
class RestoreScenarioTest extends RestoreScenarios {
  static final String PATH = "apps/photoapp/photoapp-jwt";
  static final String VAULT_ID = "JwtSecretStore/vault:" + PATH;
  final FakeVault vault = new FakeVault("secret", "kubernetes");
  StoreServer vaultServer;
  StoreServer deadServer;

  @BeforeEach
  void setUp() throws Exception {
    vaultServer = h.closeAfterOperators(StoreServer.http(vault));
    deadServer = h.closeAfterOperators(StoreServer.http(r -> FakeVault.errors(503, "Vault is sealed")));
    h.create(Secrets.named("vault-token").in(NS).data("token", FakeVault.STATIC_TOKEN));
    store("vault", vaultServer.url());
    store("dead-vault", deadServer.url());
    h.start(io.photoapp.jwt.ops.OperatorConfig.defaults().withMetricsPort(-1).withAllowInsecureStores(true));
  }

  private void store(String name, String url) {
    h.applyStore(Stores.vault(name).in(NS).at(url).pathPrefix("apps/{namespace}")
        .tokenFrom("vault-token", "token"));
  }

  @Test
  void aJwtSecretRebuiltAfterItsNamespaceWasLostGetsTheKeysTheStoreHoldsWithNoNewKey() {
    applyJwtSecret(Pushes.to("vault"));
    JwtSecret first = h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null
        && entry(js, VAULT_ID).map(e -> js.getStatus().keyId.equals(e.keySet)).orElse(false));
    String k1 = first.getStatus().keyId;
    assertThat(h.eventReasons(NS, NAME)).as("an empty store: a key is generated as usual").contains("Created")
        .doesNotContain("Restored");

    // Mid-rotation: the next key is published, and the store holds both.
    h.clock.advance(Duration.ofDays(30).plusMinutes(1));
    h.poke(NS, NAME);
    JwtSecret publishing = h.awaitStatus(NS, NAME, js -> js.getStatus().nextKeyId != null
        && entry(js, VAULT_ID).map(e -> (k1 + "," + js.getStatus().nextKeyId).equals(e.keySet)).orElse(false));
    String k2 = publishing.getStatus().nextKeyId;
    String keyCreatedAt = publishing.getStatus().keyCreatedAt;
    int written = vault.versions(PATH).size();

    loseEverythingButTheStore();
    applyJwtSecret(Pushes.to("vault"));

    JwtSecret restored = h.awaitStatus(NS, NAME, js -> ready(js).map(c -> Conditions.RESTORED.equals(c.getReason())).orElse(false));
    assertThat(restored.getStatus().keyId).isEqualTo(k1);
    assertThat(restored.getStatus().nextKeyId).isEqualTo(k2);
    assertThat(restored.getStatus().phase).isEqualTo(Phase.Publishing);
    assertThat(restored.getStatus().keyCreatedAt).isEqualTo(keyCreatedAt);
    assertThat(Conditions.isTrue(restored.getStatus().conditions, Conditions.READY)).isTrue();
    var secret = h.secret(NS, NAME);
    assertThat(OperatorHarness.data(secret, "jwt-secret-key")).isEqualTo(vault.latest(PATH).get("jwt-secret-key"));
    assertThat(OperatorHarness.data(secret, "jwt-secret-key-next")).isEqualTo(vault.latest(PATH).get("jwt-secret-key-next"));
    assertThat(h.eventReasons(NS, NAME)).contains("Restored").doesNotContain("Created", "Rotated");
    assertThat(messages("Restored")).singleElement().asString().contains(VAULT_ID).contains(k1 + "," + k2);
    // The rotation resumes where it stood: the same next key becomes current.
    assertThat(vault.versions(PATH).subList(written, vault.versions(PATH).size()))
        .allSatisfy(v -> assertThat(v.get("kid")).isEqualTo(k1));
  }

  @Test
  void aWeakKeyInTheStoreIsNotRestoredButReplacedWithAnEventNamingTheRule() {
    String weak = "changeme";
    vault.write(PATH, Map.of("jwt-secret-key", weak, "kid", "x", "alg", "HS256"));
    applyJwtSecret(Pushes.to("vault"));

    JwtSecret js = h.awaitStatus(NS, NAME, x -> x.getStatus().keyId != null
        && entry(x, VAULT_ID).map(e -> x.getStatus().keyId.equals(e.keySet)).orElse(false));
    assertThat(js.getStatus().keyId).isNotEqualTo(KeyIds.of(KeyValue.of(weak), Algorithm.HS256));
    assertThat(OperatorHarness.data(h.secret(NS, NAME), "jwt-secret-key")).isNotEqualTo(weak);
    assertThat(vault.latest(PATH).get("jwt-secret-key")).as("the store gets the new key").isNotEqualTo(weak);
    assertThat(messages("PolicyViolation")).anySatisfy(m -> assertThat(m).contains("Not restored from " + VAULT_ID)
        .contains("weak-key").doesNotContain(weak));
    assertThat(h.eventReasons(NS, NAME)).doesNotContain("Restored");
  }

  @Test
  void aStoreThatDoesNotAnswerHoldsTheJwtSecretInRestorePendingUntilTheTimeout() {
    applyJwtSecret(Pushes.to("dead-vault").restoreTimeout("10m"));
    String deadId = "JwtSecretStore/dead-vault:" + PATH;

    JwtSecret pending = h.awaitStatus(NS, NAME, js -> ready(js).map(c -> "RestorePending".equals(c.getReason())
        && c.getMessage().contains("HTTP 503")).orElse(false));
    Condition c = ready(pending).orElseThrow();
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getMessage()).contains(deadId).contains("HTTP 503: Vault is sealed");
    assertThat(pending.getStatus().keyId).isNull();
    assertThat(h.secret(NS, NAME) == null).as("no key is generated while the store may still answer").isTrue();
    assertThat(messages("RestorePending")).isNotEmpty().allSatisfy(m -> assertThat(m).contains(deadId));

    h.clock.advance(Duration.ofMinutes(5));
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(h.secret(NS, NAME) == null).as("no Secret yet").isTrue();

    h.clock.advance(Duration.ofMinutes(6));
    h.poke(NS, NAME);
    JwtSecret fresh = h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null);
    assertThat(h.secret(NS, NAME) != null).as("a Secret").isTrue();
    assertThat(h.eventReasons(NS, NAME)).contains("RestoreTimedOut", "Created");
    assertThat(ready(fresh).orElseThrow().getReason()).isEqualTo(Conditions.SECRET_READY);
  }

  @Test
  void aStoreThatAnswersAgainBeforeTheTimeoutIsRestoredFrom() {
    applyJwtSecret(Pushes.to("vault"));
    JwtSecret first = h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null
        && entry(js, VAULT_ID).map(e -> js.getStatus().keyId.equals(e.keySet)).orElse(false));
    String k1 = first.getStatus().keyId;
    loseEverythingButTheStore();

    vault.failNext(FakeVault.errors(503, "Vault is sealed"));
    applyJwtSecret(Pushes.to("vault"));
    JwtSecret pending = h.awaitStatus(NS, NAME, js -> ready(js).map(c -> "RestorePending".equals(c.getReason())).orElse(false));
    assertThat(pending.getStatus().keyId).as("no key made while the store is away").isNull();

    h.clock.advance(Duration.ofSeconds(10));
    h.poke(NS, NAME);
    JwtSecret restored = h.awaitStatus(NS, NAME, js -> ready(js).map(c -> Conditions.RESTORED.equals(c.getReason())).orElse(false));
    assertThat(restored.getStatus().keyId).isEqualTo(k1);
    assertThat(h.eventReasons(NS, NAME)).contains("RestorePending", "Restored").doesNotContain("Created");
  }

  @Test
  void removingRestoreEndsTheWaitAtOnce() {
    applyJwtSecret(Pushes.to("dead-vault"));
    h.awaitStatus(NS, NAME, js -> ready(js).map(c -> "RestorePending".equals(c.getReason())).orElse(false));
    h.edit(NS, NAME, js -> {
      js.getSpec().push.get(0).restore = null;
      return js;
    });
    h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null);
    assertThat(h.eventReasons(NS, NAME)).contains("Created").doesNotContain("RestoreTimedOut", "Restored");
  }

  @Test
  void aStoreEditedByHandIsRewrittenAtTheNextCheckAndNotBefore() {
    applyJwtSecret(Pushes.to("vault").resyncInterval("1h"));
    JwtSecret js = h.awaitStatus(NS, NAME, x -> x.getStatus().keyId != null
        && entry(x, VAULT_ID).map(e -> x.getStatus().keyId.equals(e.keySet)).orElse(false));
    String k1 = js.getStatus().keyId;
    Map<String, String> pushed = Map.copyOf(vault.latest(PATH));
    assertThat(entry(js, VAULT_ID).orElseThrow().lastCheckTime).as("a push is a check").isNotNull();

    // Someone rolls the store back to an older version of their own.
    Map<String, String> edited = new java.util.LinkedHashMap<>(pushed);
    edited.put("kid", "rolled-back");
    edited.remove("jwt-secret-key-next");
    edited.put("jwks", "{\"keys\":[]}");
    vault.write(PATH, edited);
    int versions = vault.versions(PATH).size();

    h.clock.advance(Duration.ofMinutes(30));
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(vault.versions(PATH)).as("no check before resyncInterval").hasSize(versions);

    h.clock.advance(Duration.ofMinutes(31));
    h.poke(NS, NAME);
    JwtSecret repaired = h.awaitStatus(NS, NAME, x -> entry(x, VAULT_ID).map(e -> e.lastDriftRepairTime != null).orElse(false));
    assertThat(vault.latest(PATH)).isEqualTo(pushed);
    assertThat(vault.versions(PATH)).hasSize(versions + 1);
    Condition condition = Conditions.find(repaired.getStatus().conditions, KeyPush.CONDITION).orElseThrow();
    assertThat(condition.getStatus()).isEqualTo("True");
    assertThat(condition.getReason()).isEqualTo("DriftRepaired");
    assertThat(condition.getMessage()).contains(VAULT_ID);
    assertThat(messages("DriftRepaired")).singleElement().asString().contains(VAULT_ID).contains(k1);
    assertThat(repaired.getStatus().keyId).as("the key set is the Secret's, not the store's").isEqualTo(k1);

    // A store that holds the key set is read, not written.
    h.clock.advance(Duration.ofMinutes(61));
    h.poke(NS, NAME);
    h.awaitStatus(NS, NAME, x -> entry(x, VAULT_ID).map(e -> !e.lastCheckTime.equals(e.lastPushTime)).orElse(false));
    assertThat(vault.versions(PATH)).hasSize(versions + 1);
  }
}
