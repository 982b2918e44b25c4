package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** --max-concurrent-rollouts: never a restart storm; the rest wait their turn and status says so. */
@MockApiServer
class ConcurrentRolloutsScenarioTest {
  static final String NS = "photoapp";
  OperatorHarness h;
  LeakGuard leaks;

  @BeforeEach
  void setUp(OperatorHarness harness, LeakGuard guard) {
    h = harness;
    leaks = guard;
    h.namespace(NS, Map.of());
    h.deployment(NS, "web-a", Map.of());
    h.deployment(NS, "web-b", Map.of());
    h.start(OperatorConfig.defaults().withMetricsPort(-1).withMaxConcurrentRollouts(1));
  }

  void jwtSecret(String name, String deployment) {
    h.apply(JwtSecrets.named(name).in("photoapp").production().direct().gracePeriod("15m").rolloutTimeout("10m")
        .restarts(Targets.deployment(deployment)));
  }

  static String rolloutReason(JwtSecret js) {
    return Conditions.find(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).map(c -> c.getReason()).orElse("");
  }

  double gauge(String name) {
    return PrometheusText.value(h.metricsPages().get(0), name, Map.of()).orElse(Double.NaN);
  }

  @Test
  void withOneSlotASecondWorkloadWaitsUntilTheFirstHasRolledOut() {
    jwtSecret("a-jwt", "web-a");
    jwtSecret("b-jwt", "web-b");
    String a1 = h.awaitStatus(NS, "a-jwt", js -> js.getStatus().keyId != null).getStatus().keyId;
    String b1 = h.awaitStatus(NS, "b-jwt", js -> js.getStatus().keyId != null).getStatus().keyId;
    h.completeRollouts();

    // Both due at once: one workload rolls, the other's patch queues.
    h.clock.advance(Duration.ofSeconds(1));
    for (String name : List.of("a-jwt", "b-jwt")) {
      h.edit(NS, name, js -> {
        js.getMetadata().getAnnotations().put(Labels.ROTATE_AFTER, h.clock.instant().toString());
        return js;
      });
    }
    JwtSecret a = h.awaitStatus(NS, "a-jwt", js -> !a1.equals(js.getStatus().keyId)
        && !rolloutReason(js).equals(Conditions.ROLLED_OUT));
    JwtSecret b = h.awaitStatus(NS, "b-jwt", js -> !b1.equals(js.getStatus().keyId)
        && !rolloutReason(js).equals(Conditions.ROLLED_OUT));
    a = h.awaitStatus(NS, "a-jwt", js -> true);
    b = h.awaitStatus(NS, "b-jwt", js -> true);
    List<String> reasons = List.of(rolloutReason(a), rolloutReason(b));
    assertThat(reasons).containsExactlyInAnyOrder(Conditions.ROLLOUT_IN_PROGRESS, Conditions.ROLLOUT_QUEUED);
    JwtSecret queued = rolloutReason(a).equals(Conditions.ROLLOUT_QUEUED) ? a : b;
    String queuedDeployment = queued == a ? "web-a" : "web-b";
    assertThat(Conditions.find(queued.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).get().getMessage())
        .contains("max-concurrent-rollouts").contains("Deployment " + queuedDeployment)
        .as("no place in the queue: it moves with every slot given back, and status would be rewritten each time")
        .doesNotContain("place");
    // The queued workload has not been patched: still the old key set.
    String before = h.keySetOn(NS, queuedDeployment, queued.getMetadata().getName());
    assertThat(before == null ? "" : before).doesNotContain(queued.getStatus().keyId);
    assertThat(gauge("jwtsecret_rollouts_in_flight")).isEqualTo(1.0);
    assertThat(gauge("jwtsecret_rollouts_queued")).isEqualTo(1.0);

    // The first rollout completes: the queued one gets the slot and rolls.
    h.completeRollouts();
    String name = queued.getMetadata().getName();
    JwtSecret rolling = h.awaitStatus(NS, name, js -> Conditions.ROLLOUT_IN_PROGRESS.equals(rolloutReason(js)));
    assertThat(h.keySetOn(NS, queuedDeployment, name)).isEqualTo(rolling.getStatus().keyId + "," + (queued == a ? a1 : b1));
    h.completeRollouts();
    h.awaitStatus(NS, name, js -> Conditions.ROLLED_OUT.equals(rolloutReason(js)));
  }
}
