package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.Weekday;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.PrometheusText;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Production waits for a person when asked to, and planned stages start only inside their windows. */
class ApprovalAndWindowsScenarioTest extends RotationScenarios {

  @Test
  void aManualRotationPublishesThenWaitsForAnApprovalNamingItsNextKey() {
    applyJwtSecret(JwtSecrets::manualApproval);
    String k1 = created().getStatus().keyId;
    String k2 = step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true).getStatus().nextKeyId;
    h.completeRollouts();
    JwtSecret waiting = step(() -> h.clock.advance(Duration.ofMinutes(3)), Phase.AwaitingApproval, js -> true);
    assertThat(waiting.getStatus().keyId).isEqualTo(k1);
    assertThat(readyReason(waiting)).isEqualTo(Conditions.AWAITING_APPROVAL);
    assertThat(Conditions.find(waiting.getStatus().conditions, Conditions.READY).get().getMessage())
        .contains(Labels.APPROVE_SWITCH + "=" + k2);
    assertThat(h.eventReasons(NS, NAME)).contains("AwaitingApproval");
    assertThat(awaitingApprovalMetric()).isEqualTo(1.0);
    assertThat(h.secret(NS, NAME).getData()).containsKey("jwt-secret-key-next");

    // An approval that names another key approves nothing; waiting longer switches nothing.
    annotate(Labels.APPROVE_SWITCH, k1);
    h.clock.advance(Duration.ofHours(5));
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(h.get(NS, NAME).getStatus().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(h.get(NS, NAME).getStatus().keyId).isEqualTo(k1);

    JwtSecret switched = step(() -> annotate(Labels.APPROVE_SWITCH, k2), Phase.Switching, js -> true);
    assertThat(switched.getStatus().keyId).isEqualTo(k2);
    assertThat(switched.getStatus().previousKeyId).isEqualTo(k1);
    assertThat(awaitingApprovalMetric()).isEqualTo(0.0);
    step(h::completeRollouts, Phase.Retiring, js -> true);
    step(() -> h.clock.advance(Duration.ofMinutes(16)), Phase.Idle, js -> js.getStatus().previousKeyId == null);
    h.completeRollouts();

    // The next rotation: the approval of k2 is still on the JwtSecret, and approves nothing now.
    step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true);
    h.completeRollouts();
    JwtSecret again = step(() -> h.clock.advance(Duration.ofMinutes(3)), Phase.AwaitingApproval, js -> true);
    assertThat(again.getStatus().keyId).isEqualTo(k2);
    assertThat(again.getStatus().nextKeyId).isNotIn(k1, k2);
  }

  @Test
  void anEmergencyNeverWaitsForApproval() {
    applyJwtSecret(JwtSecrets::manualApproval);
    String k1 = created().getStatus().keyId;
    step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true);
    h.completeRollouts();
    String k2 = step(() -> h.clock.advance(Duration.ofMinutes(3)), Phase.AwaitingApproval, js -> true).getStatus().nextKeyId;
    JwtSecret after = step(() -> request(Labels.INVALIDATE_BEFORE), Phase.Idle,
        js -> "Emergency".equals(js.getStatus().lastRotationReason));
    assertThat(after.getStatus().keyId).isNotIn(k1, k2);
    assertThat(after.getStatus().nextKeyId).isNull();
    assertThat(awaitingApprovalMetric()).isEqualTo(0.0);
  }

  @Test
  void aNamespaceThatRequiresApprovalHoldsAnAutomaticJwtSecret() {
    h.client.namespaces().withName(NS).edit(n -> {
      n.getMetadata().setLabels(Map.of(Labels.REQUIRE_APPROVAL, "true"));
      return n;
    });
    applyJwtSecret(JwtSecrets::direct);
    String k1 = created().getStatus().keyId;
    // Direct under a Manual floor still publishes first: there must be a next key to approve.
    step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true);
    h.completeRollouts();
    JwtSecret waiting = step(() -> h.clock.advance(Duration.ofMinutes(3)), Phase.AwaitingApproval, js -> true);
    assertThat(waiting.getStatus().keyId).isEqualTo(k1);
  }

  @Test
  void aPlannedRotationStartsItsStagesOnlyInsideAWindowAndAnEmergencyIgnoresThem() {
    // The harness starts on Saturday 2026-11-28 at 06:00 UTC: the Saturday window has closed.
    applyJwtSecret(j -> j.window("02:00", "05:00", Weekday.Sat));
    String k1 = created().getStatus().keyId;
    request(Labels.ROTATE_AFTER);
    h.pokeAndAwaitReconcile(NS, NAME);
    JwtSecret held = h.awaitStatus(NS, NAME, js -> Conditions.AWAITING_WINDOW.equals(readyReason(js)));
    assertThat(held.getStatus().phase).isEqualTo(Phase.Idle);
    assertThat(Conditions.find(held.getStatus().conditions, Conditions.READY).get().getMessage())
        .contains("2026-12-05T02:00:00Z");
    assertThat(h.secret(NS, NAME).getData()).doesNotContainKey("jwt-secret-key-next");

    // The window opens: publish; the rollout and the delay take it past the window's end: the switch waits.
    h.clock.set(Instant.parse("2026-12-05T04:59:00Z"));
    step(() -> { }, Phase.Publishing, js -> true);
    h.completeRollouts();
    h.clock.advance(Duration.ofMinutes(3));
    h.pokeAndAwaitReconcile(NS, NAME);
    JwtSecret outside = h.awaitStatus(NS, NAME, js -> Conditions.AWAITING_WINDOW.equals(readyReason(js)));
    assertThat(outside.getStatus().phase).isEqualTo(Phase.Publishing);
    assertThat(outside.getStatus().keyId).isEqualTo(k1);

    // An emergency does not wait for the next Saturday.
    JwtSecret after = step(() -> request(Labels.INVALIDATE_BEFORE), Phase.Idle,
        js -> "Emergency".equals(js.getStatus().lastRotationReason));
    assertThat(after.getStatus().keyId).isNotEqualTo(k1);
  }

  private static String readyReason(JwtSecret js) {
    return Conditions.find(js.getStatus().conditions, Conditions.READY).map(c -> c.getReason()).orElse("");
  }

  private double awaitingApprovalMetric() {
    OptionalDouble v = PrometheusText.value(h.metricsPages().get(0), "jwtsecret_awaiting_approval",
        Map.of("namespace", NS, "name", NAME));
    return v.orElse(Double.NaN);
  }
}
