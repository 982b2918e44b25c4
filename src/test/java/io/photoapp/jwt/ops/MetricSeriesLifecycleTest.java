package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exploit refused: creating and deleting JwtSecrets (with new names each time) grew the metrics page
 * and the operator's heap without end, since a deleted JwtSecret's counters stayed. Now its series,
 * counters included, and those of workloads no JwtSecret targets any more, go when it goes, with or
 * without a finalizer's cleanup (a periodic sweep against the cache).
 */
@MockApiServer
class MetricSeriesLifecycleTest {
  static final String NS = "photoapp";
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
    h.namespace(NS, Map.of());
    h.deployment(NS, "backend", Map.of());
    h.deployment(NS, "shared", Map.of());
    // A sweep every 200 ms rather than every 30 s, so that the test need not wait.
    h.start(OperatorConfig.defaults().withMetricsPort(-1), runtime -> runtime.sweepMetricsEvery(Duration.ofMillis(200)));
  }

  /** A production JwtSecret with the Direct strategy that rolls these Deployments without waiting for them. */
  void apply(String name, String... deployments) {
    h.apply(JwtSecrets.named(name).in("photoapp").production().direct()
        .restarts(Stream.of(deployments).map(d -> Targets.deployment(d).noWait()).toArray(Targets[]::new)));
  }

  List<PrometheusText.Sample> seriesOf(String label, String value) {
    return PrometheusText.samples(h.operator().metrics().scrape()).stream()
        .filter(s -> s.name().startsWith("jwtsecret_") && value.equals(s.labels().get(label))).toList();
  }

  @Test
  void aDeletedJwtSecretsSeriesAndItsOwnTargetsSeriesAreGoneFromTheMetricsPage() {
    apply("doomed", "backend", "shared");
    apply("stays", "shared");
    h.awaitStatus(NS, "doomed", js -> js.getStatus().keyId != null);
    h.awaitStatus(NS, "stays", js -> js.getStatus().keyId != null);
    // An emergency rotation: a rotation counter, restart counters, a failure counter at 0.
    h.clock.advance(Duration.ofSeconds(1));
    h.client.resources(JwtSecret.class).inNamespace(NS).withName("doomed").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + Labels.INVALIDATE_BEFORE + "\":\"" + h.clock.instant() + "\"}}}");
    h.awaitStatus(NS, "doomed", js -> "Emergency".equals(js.getStatus().lastRotationReason));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(seriesOf("name", "doomed"))
        .extracting(PrometheusText.Sample::name)
        .contains("jwtsecret_rotations_total", "jwtsecret_rotation_failures_total", "jwtsecret_ready", "jwtsecret_key_age_seconds"));
    assertThat(seriesOf("name", "backend")).extracting(PrometheusText.Sample::name).contains("jwtsecret_workload_restarts_total");

    h.client.resources(JwtSecret.class).inNamespace(NS).withName("doomed").delete();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(seriesOf("name", "doomed")).as("the deleted JwtSecret's series").isEmpty();
      assertThat(seriesOf("name", "backend")).as("a workload only it targeted").isEmpty();
    });
    assertThat(seriesOf("name", "stays")).as("the other JwtSecret's series").isNotEmpty();
    assertThat(seriesOf("name", "shared")).as("a workload another JwtSecret still targets").isNotEmpty();
  }

  @Test
  void theSweepRemovesSeriesOfJwtSecretsNoLongerInTheCache() {
    OperatorMetrics metrics = h.operator().metrics();
    apply("present", "backend");
    h.awaitStatus(NS, "present", js -> js.getStatus().keyId != null);
    // Series left behind by a JwtSecret whose delete event was missed (an operator that was away).
    metrics.rotated(NS, "missed", "Emergency");
    metrics.pushFailures(NS, "missed", "vault:https://vault:8200/secret/x").increment();
    metrics.observe(NS, "missed", null, null, null, true, java.util.Set.of("key-age"));
    metrics.workloadRestarted(NS, "Deployment", "gone-workload");

    // No cleanup runs for them: the periodic sweep finds their JwtSecret gone from the cache.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(seriesOf("name", "missed")).isEmpty();
      assertThat(seriesOf("name", "gone-workload")).isEmpty();
    });
    assertThat(seriesOf("name", "present")).isNotEmpty();
  }
}
