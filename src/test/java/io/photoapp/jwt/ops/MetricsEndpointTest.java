package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.testing.Endpoints;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.PrometheusText;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /metrics, /healthz and /readyz on one port, scraped over HTTP after a creation and an emergency rotation. */
@MockApiServer
class MetricsEndpointTest {
  static final Map<String, String> JWT = Map.of("namespace", "photoapp", "name", "photoapp-jwt");
  OperatorHarness h;
  int port;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
    h.namespace("photoapp", Map.of());
    h.client.apps().deployments().inNamespace("photoapp").resource(new DeploymentBuilder()
        .withNewMetadata().withName("photoapp-backend").withNamespace("photoapp")
        .addToLabels(Labels.RESTARTABLE, Labels.TRUE).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "photoapp").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "photoapp").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("photoapp:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    h.start(OperatorConfig.defaults().withMetricsPort(0));
    port = h.operator().healthPort();
  }

  static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put(key, value);
    return all;
  }

  Set<String> keyValues(Secret secret) {
    Set<String> values = new HashSet<>();
    secret.getData().forEach((k, v) -> {
      if (k.startsWith("jwt-secret-key")) {
        values.add(OperatorHarness.data(secret, k));
      }
    });
    return values;
  }

  @Test
  void theDesignsMetricsAreServedWithTheirLabelsAndNeverAKey() {
    // Production with the schedule paused breaks rule rotation-interval (a setting, so the key is still made).
    h.apply(JwtSecrets.named("photoapp-jwt")
        .in("photoapp")
        .production()
        .direct()
        .paused()
        .restarts(Targets.deployment("photoapp-backend").noWait()));
    h.awaitStatus("photoapp", "photoapp-jwt", js -> js.getStatus().keyId != null);
    Set<String> keys = keyValues(h.secret("photoapp", "photoapp-jwt"));

    // An emergency rotation: every key made before now is dropped.
    h.clock.advance(Duration.ofMinutes(1));
    Instant now = h.clock.instant();
    h.client.resources(JwtSecret.class).inNamespace("photoapp").withName("photoapp-jwt")
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + Labels.INVALIDATE_BEFORE + "\":\"" + now + "\"}}}");
    h.awaitStatus("photoapp", "photoapp-jwt", js -> "Emergency".equals(js.getStatus().lastRotationReason));
    keys.addAll(keyValues(h.secret("photoapp", "photoapp-jwt")));

    await().atMost(Duration.ofSeconds(10)).until(() -> PrometheusText.value(Endpoints.get(port, "/metrics").body(),
        "jwtsecret_rotations_total", with(JWT, "reason", "Emergency")).isPresent());
    Endpoints.Response metrics = Endpoints.get(port, "/metrics");
    String text = metrics.body();
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");

    assertThat(PrometheusText.value(text, "jwtsecret_rotations_total", with(JWT, "reason", "Emergency"))).hasValue(1.0);
    assertThat(PrometheusText.value(text, "jwtsecret_rotation_failures_total", JWT)).as("present from 0").hasValue(0.0);
    assertThat(PrometheusText.value(text, "jwtsecret_last_rotation_timestamp_seconds", JWT))
        .hasValue(now.getEpochSecond() * 1.0);
    assertThat(PrometheusText.value(text, "jwtsecret_next_rotation_timestamp_seconds", JWT).orElseThrow())
        .as("paused: no next rotation").isNaN();
    assertThat(PrometheusText.value(text, "jwtsecret_key_age_seconds", JWT)).hasValue(0.0);
    assertThat(PrometheusText.value(text, "jwtsecret_ready", JWT)).hasValue(1.0);
    assertThat(PrometheusText.value(text, "jwtsecret_policy_violations", with(JWT, "rule", "rotation-interval")))
        .hasValue(1.0);
    assertThat(PrometheusText.value(text, "jwtsecret_workload_restarts_total",
        Map.of("namespace", "photoapp", "kind", "Deployment", "name", "photoapp-backend")).orElseThrow())
        .as("rolled at the emergency (creating the first key restarts nothing)").isEqualTo(1.0);
    assertThat(PrometheusText.value(text, "operator_sdk_reconciliations_started_total", Map.of()))
        .as("the SDK's reconcile metrics").isPresent();

    assertThat(keys).hasSizeGreaterThanOrEqualTo(2);
    assertThat(keys).allSatisfy(key -> assertThat(text).doesNotContain(key));
  }

  @Test
  @NoKeys
  void healthAndReadinessShareThePort() {
    Endpoints.Response health = Endpoints.get(port, "/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> Endpoints.get(port, "/readyz").status() == 200);
    assertThat(Endpoints.get(port, "/readyz").body()).isEqualTo("ready\n");
  }
}
