package io.photoapp.jwt.rotation;

import static io.photoapp.jwt.rotation.RotationPlannerTest.IDLE;
import static io.photoapp.jwt.rotation.RotationPlannerTest.K2;
import static io.photoapp.jwt.rotation.RotationPlannerTest.PUBLISHING;
import static io.photoapp.jwt.rotation.RotationPlannerTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Weekday;
import io.photoapp.jwt.rotation.RotationDecision.Gate;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.testing.JwtSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Approval and rotation windows: what holds a due planned stage, and what never waits. */
class RotationGatesTest {
  /** 2026-01-31 (K2's creation, the due time of IDLE) is a Saturday. */
  static final Instant DUE = T0.plus(Duration.ofDays(30));
  static final Instant AFTER_DELAY = K2.createdAt().plusSeconds(120);

  static EffectiveSpec spec(UnaryOperator<JwtSecrets> rotation, String approveSwitch) {
    JwtSecrets js = JwtSecrets.named("a").in("b").production().timing("@every 720h", "30m", "2m", "10m");
    if (approveSwitch != null) {
      js.annotate(Labels.APPROVE_SWITCH, approveSwitch);
    }
    SpecResolver.Result r = SpecResolver.resolve(rotation.apply(js).build());
    assertThat(r.problems()).isEmpty();
    return r.spec();
  }

  private static UnaryOperator<JwtSecrets> both(UnaryOperator<JwtSecrets> first, UnaryOperator<JwtSecrets> then) {
    return j -> then.apply(first.apply(j));
  }

  static RotationDecision decide(EffectiveSpec spec, KeyState state, Instant now) {
    return RotationPlanner.decide(new RotationInput(spec, Optional.of(state), false, false, false, true, true, now));
  }

  public static Stream<Arguments> table() {
    UnaryOperator<JwtSecrets> automatic = j -> j;
    UnaryOperator<JwtSecrets> manual = JwtSecrets::manualApproval;
    UnaryOperator<JwtSecrets> weekend = j -> j.window("02:00", "05:00", Weekday.Sat, Weekday.Sun);
    String emergencyAt = "2026-01-31T00:01:00Z";
    Instant saturday3am = Instant.parse("2026-01-31T03:00:00Z");
    Instant saturday6am = Instant.parse("2026-01-31T06:00:00Z");
    return Stream.of(
        Arguments.of("Automatic: the switch follows the delay", automatic, null, PUBLISHING, AFTER_DELAY, Action.SWITCH, Gate.NONE, null),
        Arguments.of("Manual, no approval: waits for it", manual, null, PUBLISHING, AFTER_DELAY, Action.NONE, Gate.APPROVAL, null),
        Arguments.of("Manual, approval of an older key: still waits", manual, RotationPlannerTest.K1.id(), PUBLISHING, AFTER_DELAY,
            Action.NONE, Gate.APPROVAL, null),
        Arguments.of("Manual, approval of the next key: switches", manual, K2.id(), PUBLISHING, AFTER_DELAY, Action.SWITCH, Gate.NONE, null),
        Arguments.of("Manual, approved before the delay: waits for the delay", manual, K2.id(), PUBLISHING, AFTER_DELAY.minusSeconds(60),
            Action.NONE, Gate.NONE, Duration.ofSeconds(60)),
        Arguments.of("Manual: the publish stage starts without approval", manual, null, IDLE, DUE, Action.PUBLISH, Gate.NONE, null),
        Arguments.of("Manual with Direct: publishes first, to have a key to approve", both(manual, JwtSecrets::direct), null, IDLE, DUE,
            Action.PUBLISH, Gate.NONE, null),
        Arguments.of("Manual: an emergency never waits", both(manual, j -> j.invalidateBefore(emergencyAt)), null, PUBLISHING,
            AFTER_DELAY, Action.EMERGENCY, Gate.NONE, null),
        Arguments.of("window open: publish starts", weekend, null, IDLE, saturday3am, Action.PUBLISH, Gate.NONE, null),
        Arguments.of("due before the window: waits until it opens", weekend, null, IDLE, DUE, Action.NONE, Gate.WINDOW,
            Duration.ofHours(2)),
        Arguments.of("after the window closed: waits a week", weekend, null, IDLE, saturday6am.plus(Duration.ofDays(1)),
            Action.NONE, Gate.WINDOW, Duration.ofDays(5).plusHours(20)),
        Arguments.of("Sunday's window opens after Saturday's closed", weekend, null, IDLE, saturday6am, Action.NONE, Gate.WINDOW,
            Duration.ofHours(20)),
        Arguments.of("switch outside the window: waits", weekend, null, PUBLISHING, AFTER_DELAY, Action.NONE, Gate.WINDOW,
            Duration.ofHours(2).minusSeconds(120)),
        Arguments.of("switch inside the window", weekend, null, PUBLISHING, saturday3am, Action.SWITCH, Gate.NONE, null),
        Arguments.of("windows do not hold an emergency", both(weekend, j -> j.invalidateBefore(emergencyAt)), null, IDLE,
            AFTER_DELAY, Action.EMERGENCY, Gate.NONE, null),
        Arguments.of("a window crossing midnight is open after it", (UnaryOperator<JwtSecrets>) j -> j.window("22:00", "03:00", Weekday.Fri),
            null, IDLE, DUE.plus(Duration.ofHours(1)), Action.PUBLISH, Gate.NONE, null),
        Arguments.of("a window in the rotation's time zone", both(weekend, j -> j.timeZone("Asia/Tokyo")), null, IDLE, DUE, Action.NONE,
            Gate.WINDOW, Duration.ofHours(17)),
        Arguments.of("approved, outside the window: waits for the window", both(manual, weekend), K2.id(), PUBLISHING, AFTER_DELAY,
            Action.NONE, Gate.WINDOW, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String name, UnaryOperator<JwtSecrets> rotation, String approveSwitch, KeyState state, Instant now, Action action, Gate gate,
      Duration recheck) {
    RotationDecision d = decide(spec(rotation, approveSwitch), state, now);
    assertThat(d.action()).isEqualTo(action);
    assertThat(d.gate()).isEqualTo(gate);
    if (recheck != null) {
      assertThat(d.recheckAfter()).contains(recheck);
    }
  }

  @Test
  void aManualFloorFromTheNamespaceHoldsAnAutomaticJwtSecret() {
    EffectiveSpec automatic = spec(j -> j, null);
    assertThat(decide(automatic.withApprovalFloor(false), PUBLISHING, AFTER_DELAY).action()).isEqualTo(Action.SWITCH);
    RotationDecision floored = decide(automatic.withApprovalFloor(true), PUBLISHING, AFTER_DELAY);
    assertThat(floored.awaitingApproval()).isTrue();
    assertThat(floored.waitingFor()).contains(K2.id()).contains(Labels.APPROVE_SWITCH);
  }
}
