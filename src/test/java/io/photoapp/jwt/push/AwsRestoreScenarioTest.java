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
import io.photoapp.jwt.testing.Stores;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rebuilding from AWS Secrets Manager ({@code spec.push[].restore}) on the mock API server with a local
 * server that speaks its protocol: a JwtSecret and its Secret lost come back with the key ids AWS holds,
 * mid-rotation included; a weak key there is replaced; an AWS that does not answer holds the JwtSecret in
 * RestorePending until restoreTimeout, then a fresh key is made.
 */
class AwsRestoreScenarioTest extends RestoreScenarios {
  static final String LOCATION = "photoapp/photoapp-jwt";
  static final String AWS_ID = "ClusterJwtSecretStore/aws:" + LOCATION;
  final FakeSecretsManager aws = new FakeSecretsManager();
  StoreServer awsServer;
  StoreServer deadServer;

  @BeforeEach
  void setUp() throws Exception {
    FakeSecretsManager.operatorIdentity(h);
    awsServer = h.closeAfterOperators(StoreServer.http(aws));
    deadServer = h.closeAfterOperators(
        StoreServer.http(r -> FakeSecretsManager.error(503, "ServiceUnavailable", "Secrets Manager is unavailable")));
    store("aws", awsServer.url());
    store("dead-aws", deadServer.url());
    h.start(io.photoapp.jwt.ops.OperatorConfig.defaults().withMetricsPort(-1).withAllowInsecureStores(true));
  }

  private void store(String name, String url) {
    h.applyStore(Stores.awsSecretsManager(name).region(FakeSecretsManager.REGION).at(url).pathPrefix("{namespace}")
        .operatorIdentity().forNamespaces(NS));
  }

  /** Key ids of the status, current first, as a store entry records them. */
  static String keySet(JwtSecret js) {
    var s = js.getStatus();
    return s.keyId + (s.nextKeyId == null || s.nextKeyId.isEmpty() ? "" : "," + s.nextKeyId)
        + (s.previousKeyId == null || s.previousKeyId.isEmpty() ? "" : "," + s.previousKeyId);
  }

  private JwtSecret awaitPushed() {
    return h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null
        && entry(js, AWS_ID).map(e -> keySet(js).equals(e.keySet)).orElse(false));
  }

  @Test
  void aJwtSecretRebuiltAfterItsNamespaceWasLostGetsTheKeysAwsHoldsMidRotation() {
    applyJwtSecret(Pushes.toClusterStore("aws"));
    String k1 = awaitPushed().getStatus().keyId;
    assertThat(h.eventReasons(NS, NAME)).as("an empty store: a key is generated as usual").contains("Created")
        .doesNotContain("Restored");

    h.clock.advance(Duration.ofDays(30).plusMinutes(1));
    h.poke(NS, NAME);
    JwtSecret publishing = h.awaitStatus(NS, NAME, js -> js.getStatus().nextKeyId != null
        && entry(js, AWS_ID).map(e -> (k1 + "," + js.getStatus().nextKeyId).equals(e.keySet)).orElse(false));
    String k2 = publishing.getStatus().nextKeyId;

    loseEverythingButTheStore();
    applyJwtSecret(Pushes.toClusterStore("aws"));

    JwtSecret restored = h.awaitStatus(NS, NAME, js -> ready(js).map(c -> Conditions.RESTORED.equals(c.getReason())).orElse(false));
    assertThat(restored.getStatus().keyId).isEqualTo(k1);
    assertThat(restored.getStatus().nextKeyId).isEqualTo(k2);
    assertThat(restored.getStatus().phase).isEqualTo(Phase.Publishing);
    assertThat(restored.getStatus().keyCreatedAt).isEqualTo(publishing.getStatus().keyCreatedAt);
    var secret = h.secret(NS, NAME);
    assertThat(OperatorHarness.data(secret, "jwt-secret-key")).isEqualTo(aws.current(LOCATION));
    assertThat(h.eventReasons(NS, NAME)).contains("Restored").doesNotContain("Created", "Rotated");
    assertThat(messages("Restored")).singleElement().asString().contains(AWS_ID).contains(k1 + "," + k2);
  }

  @Test
  void aWeakKeyInAwsIsNotRestoredButReplacedWithAnEventNamingTheRule() {
    String weak = "changeme";
    aws.write(LOCATION, weak);
    applyJwtSecret(Pushes.toClusterStore("aws"));

    JwtSecret js = awaitPushed();
    assertThat(js.getStatus().keyId).isNotEqualTo(KeyIds.of(KeyValue.of(weak), Algorithm.HS256));
    assertThat(OperatorHarness.data(h.secret(NS, NAME), "jwt-secret-key")).isNotEqualTo(weak);
    assertThat(aws.current(LOCATION)).as("AWS gets the new key").isNotEqualTo(weak);
    assertThat(messages("PolicyViolation")).anySatisfy(m -> assertThat(m).contains("Not restored from " + AWS_ID)
        .contains("weak-key").doesNotContain(weak));
    assertThat(h.eventReasons(NS, NAME)).doesNotContain("Restored");
  }

  @Test
  void anAwsThatDoesNotAnswerHoldsTheJwtSecretInRestorePendingUntilTheTimeout() {
    applyJwtSecret(Pushes.toClusterStore("dead-aws").restoreTimeout("10m"));
    String deadId = "ClusterJwtSecretStore/dead-aws:" + LOCATION;

    JwtSecret pending = h.awaitStatus(NS, NAME, js -> ready(js).map(c -> "RestorePending".equals(c.getReason())
        && c.getMessage().contains("HTTP 503")).orElse(false));
    assertThat(ready(pending).orElseThrow().getMessage()).contains(deadId).contains("StoreUnreachable");
    assertThat(h.secret(NS, NAME) == null).as("no key is generated while AWS may still answer").isTrue();
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
  void anAwsSecretEditedByHandIsRewrittenAtTheNextCheck() {
    applyJwtSecret(Pushes.toClusterStore("aws").resyncInterval("1h"));
    String k1 = awaitPushed().getStatus().keyId;
    String pushed = aws.current(LOCATION);
    aws.write(LOCATION, new io.photoapp.jwt.keys.KeyGenerator().generate(io.photoapp.jwt.api.Encoding.URLSAFE, 64).reveal());

    h.clock.advance(Duration.ofMinutes(61));
    h.poke(NS, NAME);
    JwtSecret repaired = h.awaitStatus(NS, NAME, x -> entry(x, AWS_ID).map(e -> e.lastDriftRepairTime != null).orElse(false));
    assertThat(aws.current(LOCATION)).isEqualTo(pushed);
    Condition condition = Conditions.find(repaired.getStatus().conditions, KeyPush.CONDITION).orElseThrow();
    assertThat(condition.getReason()).isEqualTo("DriftRepaired");
    assertThat(condition.getMessage()).contains(AWS_ID);
    assertThat(messages("DriftRepaired")).singleElement().asString().contains(AWS_ID).contains(k1);
    assertThat(repaired.getStatus().keyId).as("the key set is the Secret's, not the store's").isEqualTo(k1);
  }
}
