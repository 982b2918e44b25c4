package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.RotationStrategy;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A planned rotation publishes, switches and retires, rolling the app at every stage. */
@MockApiServer
class StagedRotationScenarioTest {
  static final String NS = "photoapp";
  static final String NAME = "photoapp-jwt";
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
    h.namespace(NS, Map.of());
    h.deployment(NS, "backend", Map.of());
  }

  private void applyJwtSecret(RotationStrategy strategy) {
    h.apply(JwtSecrets.named("photoapp-jwt")
        .in("photoapp")
        .production()
        .strategy(strategy)
        .timing("@every 720h", "30m", "2m", "10m")
        .restarts(Targets.deployment("backend")));
  }

  private JwtSecret awaitPhase(Phase phase, Predicate<JwtSecret> also) {
    return h.awaitStatus(NS, NAME, js -> js.getStatus().phase == phase && also.test(js));
  }

  private JwtSecret step(Runnable change, Phase phase, Predicate<JwtSecret> also) {
    change.run();
    h.poke(NS, NAME);
    return awaitPhase(phase, also);
  }

  /** A change after which the phase must not move, read once the operator has reconciled after it. */
  private JwtSecret stays(Runnable change, Phase phase) {
    change.run();
    h.pokeAndAwaitReconcile(NS, NAME);
    JwtSecret js = h.get(NS, NAME);
    assertThat(js.getStatus().phase).as("the phase after the change").isEqualTo(phase);
    return js;
  }

  @Test
  void plannedRotationKeepsThePreviousKeyUntilTheGraceEnds() throws Exception {
    h.start();
    applyJwtSecret(RotationStrategy.Staged);
    JwtSecret created = awaitPhase(Phase.Idle, js -> js.getStatus().keyId != null);
    String k1 = created.getStatus().keyId;
    assertThat(h.keySetOn(NS, "backend", NAME)).as("creating the first key restarts nothing").isNull();

    // Due: publish the next key, verify-only, and roll the target.
    JwtSecret publishing = step(() -> h.clock.advance(Duration.ofDays(30).plusMinutes(1)), Phase.Publishing, js -> true);
    String k2 = publishing.getStatus().nextKeyId;
    assertThat(k2).isNotNull().isNotEqualTo(k1);
    assertThat(publishing.getStatus().keyId).isEqualTo(k1);
    Secret s = h.secret(NS, NAME);
    assertThat(s.getData()).containsKeys("jwt-secret-key", "jwt-secret-key-next").doesNotContainKey("jwt-secret-key-previous");
    JWKSet jwks = JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json"));
    assertThat(jwks.getKeys()).extracting(k -> k.getKeyID()).containsExactly(k1, k2);
    assertThat(jwks.getKeyByKeyId(k2).getKeyOperations()).extracting(Object::toString).containsExactly("verify");
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(k1 + "," + k2);
    assertThat(Conditions.isTrue(publishing.getStatus().conditions, Conditions.ROLLOUT_COMPLETE)).isFalse();
    assertThat(Conditions.find(publishing.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).get().getMessage())
        .as("the test Deployment reads no key at all").contains("cannot benefit from the publish stage");

    // The rollout completes, but the propagation delay has not passed: still publishing.
    h.completeRollouts();
    h.awaitStatus(NS, NAME, js -> Conditions.isTrue(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE));
    assertThat(h.get(NS, NAME).getStatus().phase).isEqualTo(Phase.Publishing);

    // Switch: next becomes current, current becomes previous, roll again.
    JwtSecret switching = step(() -> h.clock.advance(Duration.ofMinutes(2)), Phase.Switching, js -> true);
    assertThat(switching.getStatus().keyId).isEqualTo(k2);
    assertThat(switching.getStatus().previousKeyId).isEqualTo(k1);
    assertThat(switching.getStatus().nextKeyId).isNull();
    assertThat(switching.getStatus().lastRotationReason).isEqualTo("Scheduled");
    assertThat(switching.getStatus().rotationCount).isEqualTo(1);
    s = h.secret(NS, NAME);
    assertThat(s.getData().get("jwt-secret-key-next")).isNull();
    assertThat(OperatorHarness.data(s, "jwt-secret-key-previous")).isNotNull();
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(k2 + "," + k1);
    assertThat(switching.getStatus().previousKeyExpiresAt).as("no expiry before the switch rollout is done").isNull();

    // The switch rollout completes: the previous key's expiry is fixed at now + grace.
    Instant switchDone = h.clock.instant();
    JwtSecret retiring = step(h::completeRollouts, Phase.Retiring, js -> true);
    assertThat(Instant.parse(retiring.getStatus().previousKeyExpiresAt)).isEqualTo(switchDone.plus(Duration.ofMinutes(30)));

    // Before the grace ends nothing changes; after it, the previous key leaves and the target rolls.
    stays(() -> h.clock.advance(Duration.ofMinutes(29)), Phase.Retiring);
    assertThat(h.secret(NS, NAME).getData().get("jwt-secret-key-previous")).isNotNull();
    JwtSecret idle = step(() -> h.clock.advance(Duration.ofMinutes(2)), Phase.Idle, js -> js.getStatus().previousKeyId == null);
    assertThat(idle.getStatus().keyId).isEqualTo(k2);
    s = h.secret(NS, NAME);
    assertThat(s.getData().get("jwt-secret-key-previous")).isNull();
    assertThat(JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json")).getKeys()).extracting(k -> k.getKeyID()).containsExactly(k2);
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(k2);
    assertThat(h.eventReasons(NS, NAME)).contains("Created", "Rotated", "RolloutStarted", "RolloutComplete");
  }
}
