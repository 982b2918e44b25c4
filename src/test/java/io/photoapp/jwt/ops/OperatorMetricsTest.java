package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.testing.MutableClock;
import io.photoapp.jwt.testing.PrometheusText;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  static final Map<String, String> JWT = Map.of("namespace", "photoapp", "name", "photoapp-jwt");
  final MutableClock clock = new MutableClock(NOW);
  final OperatorMetrics metrics = new OperatorMetrics(clock);

  @Test
  void theFailureCounterStartsAtZeroSoThatTheFirstFailureShowsInIncrease() {
    metrics.observe("photoapp", "photoapp-jwt", NOW, null, NOW, true, Set.of());
    assertThat(PrometheusText.value(metrics.scrape(), "jwtsecret_rotation_failures_total", JWT)).hasValue(0.0);
    metrics.rotationFailed("photoapp", "photoapp-jwt");
    assertThat(PrometheusText.value(metrics.scrape(), "jwtsecret_rotation_failures_total", JWT)).hasValue(1.0);
  }

  @Test
  void keyAgeFollowsTheClock() {
    metrics.observe("photoapp", "photoapp-jwt", NOW, NOW.plus(Duration.ofDays(180)), NOW, true, Set.of());
    clock.advance(Duration.ofHours(1));
    assertThat(PrometheusText.value(metrics.scrape(), "jwtsecret_key_age_seconds", JWT)).hasValue(3600.0);
    assertThat(PrometheusText.value(metrics.scrape(), "jwtsecret_next_rotation_timestamp_seconds", JWT))
        .hasValue(NOW.plus(Duration.ofDays(180)).getEpochSecond() * 1.0);
  }

  @Test
  void aRuleNoLongerBrokenDropsToZero() {
    metrics.observe("photoapp", "photoapp-jwt", NOW, null, NOW, false, Set.of("rotation-interval", "key-age"));
    metrics.observe("photoapp", "photoapp-jwt", NOW, null, NOW, true, Set.of("key-age"));
    String text = metrics.scrape();
    assertThat(PrometheusText.value(text, "jwtsecret_policy_violations", Map.of("rule", "rotation-interval"))).hasValue(0.0);
    assertThat(PrometheusText.value(text, "jwtsecret_policy_violations", Map.of("rule", "key-age"))).hasValue(1.0);
    assertThat(PrometheusText.value(text, "jwtsecret_ready", JWT)).hasValue(1.0);
  }

  @Test
  void thePhaseGaugeIsOneForTheCurrentPhaseAndZeroForEveryOther() {
    metrics.observeStage("photoapp", "photoapp-jwt", Phase.Switching, false);
    String text = metrics.scrape();
    for (Phase phase : Phase.values()) {
      assertThat(PrometheusText.value(text, "jwtsecret_phase",
          Map.of("namespace", "photoapp", "name", "photoapp-jwt", "phase", phase.name())))
          .as(phase.name()).hasValue(phase == Phase.Switching ? 1.0 : 0.0);
    }
    assertThat(PrometheusText.value(text, "jwtsecret_rollout_complete", JWT)).hasValue(0.0);

    metrics.observeStage("photoapp", "photoapp-jwt", Phase.Idle, true);
    text = metrics.scrape();
    assertThat(PrometheusText.value(text, "jwtsecret_phase", Map.of("name", "photoapp-jwt", "phase", "Idle"))).hasValue(1.0);
    assertThat(PrometheusText.value(text, "jwtsecret_phase", Map.of("name", "photoapp-jwt", "phase", "Switching"))).hasValue(0.0);
    assertThat(PrometheusText.value(text, "jwtsecret_rollout_complete", JWT)).hasValue(1.0);
  }

  @Test
  void aDeletedJwtSecretLeavesNoSeriesCountersIncluded() {
    metrics.observe("photoapp", "photoapp-jwt", NOW, null, NOW, false, Set.of("key-age"));
    metrics.rotated("photoapp", "photoapp-jwt", "Emergency");
    metrics.rotationFailed("photoapp", "photoapp-jwt");
    metrics.pushFailures("photoapp", "photoapp-jwt", "aws:eu-west-1/photoapp-jwt").increment();
    metrics.observe("photoapp", "other", NOW, null, NOW, true, Set.of());
    metrics.observeStage("photoapp", "photoapp-jwt", Phase.Publishing, false);
    metrics.forget("photoapp", "photoapp-jwt");
    assertThat(PrometheusText.samples(metrics.scrape()))
        .noneMatch(s -> s.name().startsWith("jwtsecret_") && "photoapp-jwt".equals(s.labels().get("name")))
        .anyMatch(s -> s.name().equals("jwtsecret_ready") && "other".equals(s.labels().get("name")));
  }

  @Test
  void aFailureBeforeTheFirstObservationShowsOnlyTheFailureCounter() {
    metrics.rotationFailed("photoapp", "photoapp-jwt");
    assertThat(PrometheusText.samples(metrics.scrape()))
        .filteredOn(s -> "photoapp-jwt".equals(s.labels().get("name")))
        .extracting(PrometheusText.Sample::name).containsExactly("jwtsecret_rotation_failures_total");
  }

  @Test
  void theSeriesOfAThousandJwtSecretsAreWrittenAtScrapeTimeNotHeldAsMeters() {
    // 12 Micrometer meters per JwtSecret held about 4 MiB at 1,000 (bench/RESULTS.md): one record each now.
    for (int i = 0; i < 1000; i++) {
      metrics.observe("ns", "jwt-" + i, NOW, null, NOW, i % 2 == 0, Set.of());
      metrics.observeStage("ns", "jwt-" + i, Phase.Idle, true);
    }
    assertThat(metrics.registry().getMeters()).noneMatch(m -> m.getId().getName().startsWith("jwtsecret_"));
    var samples = PrometheusText.samples(metrics.scrape());
    assertThat(samples).filteredOn(s -> s.name().equals("jwtsecret_ready")).hasSize(1000)
        .filteredOn(s -> s.value() == 1.0).hasSize(500);
    assertThat(samples).filteredOn(s -> s.name().equals("jwtsecret_phase")).hasSize(1000 * Phase.values().length);
    assertThat(samples).filteredOn(s -> s.name().equals("jwtsecret_rotation_failures_total")).hasSize(1000)
        .allMatch(s -> s.value() == 0.0);
  }
}
