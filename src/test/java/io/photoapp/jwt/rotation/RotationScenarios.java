package io.photoapp.jwt.rotation;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the rotation scenarios: a namespace, an opted-in Deployment, the operator, and a
 * {@link LeakGuard} that fails a scenario whose keys show in status, Events, log lines or metrics.
 */
abstract class RotationScenarios {
  static final String NS = "photoapp";
  static final String NAME = "photoapp-jwt";
  OperatorHarness h;
  LeakGuard leaks;

  @BeforeEach
  void setUp() {
    h = new OperatorHarness();
    leaks = LeakGuard.watch(h);
    h.namespace(NS, Map.of());
    h.deployment(NS, "backend", Map.of("tier", "web"));
    h.start();
  }

  @AfterEach
  void tearDown() {
    try {
      leaks.assertNoLeaks();
    } finally {
      leaks.close();
      h.close();
    }
  }

  /** A production JwtSecret rolling the backend; {@code extra} is YAML under spec.rotation. */
  void applyJwtSecret(String rotation) {
    h.apply("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: photoapp-jwt, namespace: photoapp}
        spec:
          environment: production
          rotation: {schedule: "@every 720h", gracePeriod: 15m, propagationDelay: 2m, rolloutTimeout: 10m%s}
          restart:
            targets: [{kind: Deployment, name: backend}]
        """.formatted(rotation.isEmpty() ? "" : ", " + rotation));
  }

  JwtSecret awaitPhase(Phase phase, Predicate<JwtSecret> also) {
    return h.awaitStatus(NS, NAME, js -> js.getStatus().phase == phase && also.test(js));
  }

  JwtSecret step(Runnable change, Phase phase, Predicate<JwtSecret> also) {
    change.run();
    h.poke(NS, NAME);
    return awaitPhase(phase, also);
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
