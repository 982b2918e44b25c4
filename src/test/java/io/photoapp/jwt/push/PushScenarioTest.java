package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.PushStatus;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Pushes;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Secrets;
import io.photoapp.jwt.testing.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real operator on the mock API server, pushing to Vault and AWS Secrets Manager (local servers
 * that follow their APIs) and to a Vault that is down: every stage of a staged rotation reaches the
 * working stores, the failing one is reported (Pushed=False, a PushFailed event, the failure metric)
 * and the rotation goes on regardless.
 */
@MockApiServer
class PushScenarioTest {
  static final String NS = "photoapp";
  static final String NAME = "photoapp-jwt";
  static final String PATH = "apps/photoapp/photoapp-jwt";
  final FakeVault vault = new FakeVault("secret", "kubernetes");
  final FakeSecretsManager aws = new FakeSecretsManager();
  StoreServer vaultServer;
  StoreServer awsServer;
  StoreServer deadServer;
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) throws Exception {
    h = harness;
    FakeSecretsManager.operatorIdentity(h);
    vaultServer = h.closeAfterOperators(StoreServer.http(vault));
    awsServer = h.closeAfterOperators(StoreServer.http(aws));
    deadServer = h.closeAfterOperators(StoreServer.http(r -> FakeVault.errors(503, "Vault is sealed")));
    h.namespace(NS, Map.of());
    h.deployment(NS, "backend", Map.of());
    h.create(Secrets.named("vault-token").in(NS).data("token", FakeVault.STATIC_TOKEN));
    h.applyStore(Stores.vault("vault").in(NS).at(vaultServer.url()).pathPrefix("apps/{namespace}")
        .tokenFrom("vault-token", "token"));
    h.applyStore(Stores.vault("dead-vault").in(NS).at(deadServer.url()).pathPrefix("apps/{namespace}")
        .tokenFrom("vault-token", "token"));
    h.applyStore(Stores.awsSecretsManager("aws").region(FakeSecretsManager.REGION).at(awsServer.url()).pathPrefix("{namespace}")
        .operatorIdentity().forNamespaces(NS));
    h.start(io.photoapp.jwt.ops.OperatorConfig.defaults().withMetricsPort(-1).withAllowInsecureStores(true));
  }

  private String vaultId() {
    return "JwtSecretStore/vault:" + PATH;
  }

  private String deadId() {
    return "JwtSecretStore/dead-vault:" + PATH;
  }

  private static final String AWS_ID = "ClusterJwtSecretStore/aws:photoapp/jwt";

  private void applyJwtSecret() {
    h.apply(JwtSecrets.named("photoapp-jwt")
        .in("photoapp")
        .production()
        .timing("@every 720h", "30m", "2m", "10m")
        .restarts(Targets.deployment("backend"))
        .pushTo("vault")
        .pushTo(Pushes.toClusterStore("aws").path("jwt"))
        .pushTo("dead-vault"));
  }

  private JwtSecret await(Phase phase, String keySet) {
    Predicate<JwtSecret> pushed = js -> entry(js, vaultId()).map(e -> keySet.equals(e.keySet)).orElse(false)
        && entry(js, AWS_ID).map(e -> keySet.equals(e.keySet)).orElse(false);
    return h.awaitStatus(NS, NAME, js -> js.getStatus().phase == phase && pushed.test(js));
  }

  private static Optional<PushStatus> entry(JwtSecret js, String target) {
    return js.getStatus().push == null ? Optional.empty()
        : js.getStatus().push.stream().filter(e -> target.equals(e.target)).findFirst();
  }

  private double failures(String target) {
    var counter = h.operator().metrics().registry().find("jwtsecret_push_failures_total")
        .tag("namespace", NS).tag("name", NAME).tag("target", target).counter();
    return counter == null ? -1 : counter.count();
  }

  /** The stores hold what the Secret holds. */
  private void storesFollowTheSecret(String keySet) throws Exception {
    var secret = h.secret(NS, NAME);
    String current = OperatorHarness.data(secret, "jwt-secret-key");
    Map<String, String> fields = vault.latest(PATH);
    assertThat(fields.get("jwt-secret-key")).isEqualTo(current);
    assertThat(fields.get("jwt-secret-key-next")).isEqualTo(OperatorHarness.data(secret, "jwt-secret-key-next"));
    assertThat(fields.get("jwt-secret-key-previous")).isEqualTo(OperatorHarness.data(secret, "jwt-secret-key-previous"));
    assertThat(fields.get("jwks")).isEqualTo(OperatorHarness.data(secret, "jwks-secret.json"));
    assertThat(aws.current("photoapp/jwt")).isEqualTo(current);
    assertThat(JWKSet.parse(aws.current("photoapp/jwt-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(keySet.split(","));
  }

  @Test
  void aStagedRotationReachesTheStoresAtEveryStageWhileAStoreThatIsDownIsReported() throws Exception {
    applyJwtSecret();
    JwtSecret created = h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null && js.getStatus().push != null
        && entry(js, AWS_ID).map(e -> e.keySet != null).orElse(false));
    String k1 = created.getStatus().keyId;
    await(Phase.Idle, k1);
    storesFollowTheSecret(k1);

    JwtSecret js = h.get(NS, NAME);
    assertThat(Conditions.isTrue(js.getStatus().conditions, Conditions.READY)).isTrue();
    Condition pushed = Conditions.find(js.getStatus().conditions, KeyPush.CONDITION).orElseThrow();
    assertThat(pushed.getStatus()).isEqualTo("False");
    assertThat(pushed.getReason()).isEqualTo("StoreUnreachable");
    assertThat(pushed.getMessage()).startsWith(deadId() + ": StoreUnreachable: write to secret/" + PATH
        + " refused (HTTP 503: Vault is sealed)");
    PushStatus dead = entry(js, deadId()).orElseThrow();
    assertThat(dead.keySet).isNull();
    assertThat(dead.pendingKeySet).isEqualTo(k1);
    assertThat(dead.failures).isPositive();
    assertThat(h.eventReasons(NS, NAME)).contains("Created", "Pushed", "PushFailed");
    assertThat(failures(deadId())).isPositive();
    assertThat(failures(vaultId())).isZero();
    assertThat(failures(AWS_ID)).isZero();

    // An idempotent reconcile pushes nothing.
    vaultServer.take();
    awsServer.take();
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(vaultServer.take()).isEmpty();
    assertThat(awsServer.take()).isEmpty();

    // Publish: the next key reaches the stores, verify-only.
    h.clock.advance(Duration.ofDays(30).plusMinutes(1));
    h.poke(NS, NAME);
    JwtSecret publishing = h.awaitStatus(NS, NAME, x -> x.getStatus().nextKeyId != null);
    String k2 = publishing.getStatus().nextKeyId;
    await(Phase.Publishing, k1 + "," + k2);
    storesFollowTheSecret(k1 + "," + k2);
    assertThat(vault.latest(PATH).get("kid")).isEqualTo(k1);

    // Switch: the stores get the new current key with the previous one beside it.
    h.completeRollouts();
    h.awaitStatus(NS, NAME, x -> Conditions.isTrue(x.getStatus().conditions, Conditions.ROLLOUT_COMPLETE));
    h.clock.advance(Duration.ofMinutes(2));
    h.poke(NS, NAME);
    // AWS advises one write per secret per 10 minutes: the switch reaches Vault now, AWS 10m after the publish.
    JwtSecret throttled = h.awaitStatus(NS, NAME, x -> x.getStatus().phase == Phase.Switching
        && entry(x, vaultId()).map(e -> (k2 + "," + k1).equals(e.keySet)).orElse(false)
        && entry(x, AWS_ID).map(e -> (k2 + "," + k1).equals(e.pendingKeySet)).orElse(false));
    PushStatus waiting = entry(throttled, AWS_ID).orElseThrow();
    assertThat(waiting.keySet).isEqualTo(k1 + "," + k2);
    assertThat(waiting.reason).as("waiting is no failure").isNull();
    assertThat(java.time.Instant.parse(waiting.nextAttemptTime))
        .isEqualTo(java.time.Instant.parse(waiting.lastPushTime).plus(Duration.ofMinutes(10)));
    h.clock.advance(Duration.ofMinutes(8));
    h.poke(NS, NAME);
    await(Phase.Switching, k2 + "," + k1);
    storesFollowTheSecret(k2 + "," + k1);
    assertThat(vault.latest(PATH).get("kid")).isEqualTo(k2);

    // Retire once the grace has passed: the stores keep the new key alone.
    h.completeRollouts();
    h.awaitStatus(NS, NAME, x -> x.getStatus().phase == Phase.Retiring);
    h.clock.advance(Duration.ofMinutes(31));
    h.poke(NS, NAME);
    JwtSecret idle = await(Phase.Idle, k2);
    storesFollowTheSecret(k2);
    assertThat(vault.versions(PATH)).extracting(f -> f.get("kid")).containsExactly(k1, k1, k2, k2);
    assertThat(aws.values("photoapp/jwt")).as("the current key is written only when it changes").hasSize(2);
    assertThat(aws.values("photoapp/jwt-jwks")).hasSize(4);

    // The store that is down held nothing up, and is still reported.
    assertThat(idle.getStatus().rotationCount).isEqualTo(1);
    assertThat(Conditions.find(idle.getStatus().conditions, KeyPush.CONDITION).orElseThrow().getStatus()).isEqualTo("False");
    assertThat(entry(idle, deadId()).orElseThrow().pendingKeySet).isEqualTo(k2);
    assertThat(failures(deadId())).isGreaterThanOrEqualTo(4);
    assertThat(h.events(NS).stream().filter(e -> "PushFailed".equals(e.getReason())).map(e -> e.getMessage()).toList())
        .allMatch(m -> m.contains(deadId())).noneMatch(m -> m.contains(OperatorHarness.data(h.secret(NS, NAME), "jwt-secret-key")));
  }

  @Test
  void removingTheFailingStoreClearsTheCondition() {
    applyJwtSecret();
    h.awaitStatus(NS, NAME, js -> Conditions.find(js.getStatus().conditions, KeyPush.CONDITION)
        .map(c -> "False".equals(c.getStatus())).orElse(false));
    h.edit(NS, NAME, js -> {
      js.getSpec().push = List.of(js.getSpec().push.get(0), js.getSpec().push.get(1));
      return js;
    });
    JwtSecret fixed = h.awaitStatus(NS, NAME, js -> Conditions.isTrue(js.getStatus().conditions, KeyPush.CONDITION));
    assertThat(fixed.getStatus().push).extracting(e -> e.target).containsExactly(vaultId(), AWS_ID);
    assertThat(Conditions.find(fixed.getStatus().conditions, KeyPush.CONDITION).get().getReason()).isEqualTo("InSync");

    h.edit(NS, NAME, js -> {
      js.getSpec().push = null;
      return js;
    });
    JwtSecret none = h.awaitStatus(NS, NAME, js -> js.getStatus().push == null);
    assertThat(Conditions.find(none.getStatus().conditions, KeyPush.CONDITION)).isEmpty();
  }
}
