package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the rotation scenarios: a namespace, an opted-in Deployment, the operator, and a
 * {@link LeakGuard} that fails a scenario whose keys show in status, Events, log lines or metrics.
 */
@MockApiServer
abstract class RotationScenarios {
  static final String NS = "photoapp";
  static final String NAME = "photoapp-jwt";
  OperatorHarness h;
  LeakGuard leaks;

  @BeforeEach
  void setUp(OperatorHarness harness, LeakGuard guard) {
    h = harness;
    leaks = guard;
    h.namespace(NS, Map.of());
    h.deployment(NS, "backend", Map.of("tier", "web"));
    h.start();
  }

  /** The JwtSecret of these scenarios: production, every 30 days, rolling the backend. */
  static JwtSecrets photoappJwt() {
    return JwtSecrets.named(NAME).in(NS).production().timing("@every 720h", "15m", "2m", "10m")
        .restarts(Targets.deployment("backend"));
  }

  void applyJwtSecret() {
    h.apply(photoappJwt());
  }

  /** {@link #photoappJwt()} with a change of the scenario's own (a strategy, a pause). */
  void applyJwtSecret(java.util.function.UnaryOperator<JwtSecrets> change) {
    h.apply(change.apply(photoappJwt()));
  }

  JwtSecret awaitPhase(Phase phase, Predicate<JwtSecret> also) {
    return h.awaitStatus(NS, NAME, js -> js.getStatus().phase == phase && also.test(js));
  }

  JwtSecret step(Runnable change, Phase phase, Predicate<JwtSecret> also) {
    change.run();
    h.poke(NS, NAME);
    return awaitPhase(phase, also);
  }

  /**
   * A change after which the phase must not move: the phase is read once the operator has reconciled the
   * JwtSecret after the change (a {@link #step} to the phase it is already in would hold before any reconcile).
   */
  JwtSecret stays(Runnable change, Phase phase) {
    change.run();
    h.pokeAndAwaitReconcile(NS, NAME);
    JwtSecret js = h.get(NS, NAME);
    assertThat(js.getStatus().phase).as("the phase after the change").isEqualTo(phase);
    return js;
  }

  JwtSecret created() {
    JwtSecret js = awaitPhase(Phase.Idle, x -> x.getStatus().keyId != null);
    h.completeRollouts();
    return js;
  }

  void annotate(String annotation, String value) {
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + value + "\"}}}");
  }

  /** What {@code rotate} does: a moment later, ask for a rotation (or an emergency) as of now. */
  void request(String annotation) {
    h.clock.advance(java.time.Duration.ofSeconds(1));
    annotate(annotation, h.clock.instant().toString());
  }

  int rotations() {
    Integer count = h.get(NS, NAME).getStatus().rotationCount;
    return count == null ? 0 : count;
  }
}
