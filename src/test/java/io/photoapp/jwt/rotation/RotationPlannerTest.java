package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.keys.KeyValue;
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

/** The rotation decision as a table over (spec, Secret state, rollout, now). */
class RotationPlannerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  public static final StoredKey K1 = key("k1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", T0);
  static final StoredKey K2 = key("k2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", T0.plus(Duration.ofDays(30)));

  static StoredKey key(String value, Instant created) {
    return StoredKey.of(KeyValue.of(value), Algorithm.HS256, created);
  }

  /** No change to the case's JwtSecret. */
  static final UnaryOperator<JwtSecrets> AS_IS = js -> js;
  static final UnaryOperator<JwtSecrets> DIRECT = JwtSecrets::direct;
  static final UnaryOperator<JwtSecrets> PAUSED = JwtSecrets::paused;

  static UnaryOperator<JwtSecrets> rotateAfter(String time) {
    return js -> js.rotateAfter(time);
  }

  static UnaryOperator<JwtSecrets> invalidateBefore(String time) {
    return js -> js.invalidateBefore(time);
  }

  /** A production JwtSecret rotating every 30 days, with the change a case makes to it. */
  static EffectiveSpec spec(UnaryOperator<JwtSecrets> change) {
    JwtSecret js = change.apply(JwtSecrets.named("a").in("b").production().timing("@every 720h", "30m", "2m", "10m")).build();
    SpecResolver.Result r = SpecResolver.resolve(js);
    assertThat(r.problems()).isEmpty();
    return r.spec();
  }

  static final KeyState IDLE = KeyState.fresh(K1, Reasons.CREATED, 0);
  static final KeyState PUBLISHING = IDLE.publish(K2);
  static final KeyState SWITCHING = PUBLISHING.switchTo(K2, Reasons.SCHEDULED, K2.createdAt().plus(Duration.ofMinutes(3)));
  static final KeyState RETIRING = SWITCHING.retiring(K2.createdAt().plus(Duration.ofMinutes(40)));

  static RotationDecision decide(UnaryOperator<JwtSecrets> rotation, KeyState state, boolean rolledOut, Instant now) {
    return RotationPlanner.decide(new RotationInput(spec(rotation), Optional.ofNullable(state), false, false, false,
        true, rolledOut, now));
  }

  static Stream<Arguments> table() {
    Instant due = T0.plus(Duration.ofDays(30));
    return Stream.of(
        Arguments.of("not yet due: nothing, look again at the due time", AS_IS, IDLE, true, due.minusSeconds(60), Action.NONE, Duration.ofSeconds(60)),
        Arguments.of("due: staged publishes", AS_IS, IDLE, true, due, Action.PUBLISH, null),
        Arguments.of("down past three due times: one rotation", AS_IS, IDLE, true, due.plus(Duration.ofDays(95)), Action.PUBLISH, null),
        Arguments.of("due, Direct: switch at once", DIRECT, IDLE, true, due, Action.SWITCH, null),
        Arguments.of("paused: no scheduled rotation", PAUSED, IDLE, true, due.plus(Duration.ofDays(1)), Action.NONE, null),
        Arguments.of("publishing, rollout pending: wait", AS_IS, PUBLISHING, false, K2.createdAt().plusSeconds(10), Action.NONE, Duration.ofSeconds(590)),
        Arguments.of("publishing, rolled out, before the propagation delay: wait", AS_IS, PUBLISHING, true, K2.createdAt().plusSeconds(60), Action.NONE, Duration.ofSeconds(60)),
        Arguments.of("publishing, rolled out, after the delay: switch", AS_IS, PUBLISHING, true, K2.createdAt().plusSeconds(120), Action.SWITCH, null),
        Arguments.of("switching, rollout pending: hold", AS_IS, SWITCHING, false, K2.createdAt().plus(Duration.ofMinutes(5)), Action.NONE, Duration.ofMinutes(8)),
        Arguments.of("switching, rolled out: fix the expiry", AS_IS, SWITCHING, true, K2.createdAt().plus(Duration.ofMinutes(5)), Action.MARK_RETIRING, null),
        Arguments.of("retiring, before expiry: wait until it", AS_IS, RETIRING, true, K2.createdAt().plus(Duration.ofMinutes(39)), Action.NONE, Duration.ofMinutes(1)),
        Arguments.of("retiring, expired: retire", AS_IS, RETIRING, true, K2.createdAt().plus(Duration.ofMinutes(40)), Action.RETIRE, null),
        Arguments.of("rotateAfter in the past, key older: manual", rotateAfter("2026-01-02T00:00:00Z"), IDLE, true, T0.plus(Duration.ofDays(2)), Action.PUBLISH, null),
        Arguments.of("rotateAfter satisfied by the key's age", rotateAfter("2025-12-31T00:00:00Z"), IDLE, true, T0.plus(Duration.ofDays(2)), Action.NONE, null),
        Arguments.of("rotateAfter in the future: wait for it", rotateAfter("2026-01-05T00:00:00Z"), IDLE, true, T0.plus(Duration.ofDays(2)), Action.NONE, Duration.ofDays(2)),
        Arguments.of("rotateAfter during a rotation: waits until Idle", rotateAfter("2026-02-01T00:00:00Z"), SWITCHING, false, T0.plus(Duration.ofDays(32)), Action.NONE, null),
        Arguments.of("invalidateBefore newer than a key: emergency", invalidateBefore("2026-01-02T00:00:00Z"), IDLE, true, T0.plus(Duration.ofDays(2)), Action.EMERGENCY, null),
        Arguments.of("invalidateBefore preempts publishing", invalidateBefore("2026-01-31T00:03:00Z"), PUBLISHING, false, K2.createdAt().plusSeconds(300), Action.EMERGENCY, null),
        Arguments.of("invalidateBefore older than every key: nothing", invalidateBefore("2025-12-01T00:00:00Z"), IDLE, true, T0.plus(Duration.ofDays(2)), Action.NONE, null),
        Arguments.of("invalidateBefore in the future: nothing yet", invalidateBefore("2026-01-05T00:00:00Z"), IDLE, true, T0.plus(Duration.ofDays(2)), Action.NONE, Duration.ofDays(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String name, UnaryOperator<JwtSecrets> rotation, KeyState state, boolean rolledOut, Instant now, Action action, Duration recheck) {
    RotationDecision d = decide(rotation, state, rolledOut, now);
    assertThat(d.action()).isEqualTo(action);
    if (recheck != null) {
      assertThat(d.recheckAfter()).contains(recheck);
    }
  }

  @Test
  void afterItsOwnWritesAReconcileReportsWhatHoldsTheRotationAndLeavesFurtherWritesToTheNext() {
    Instant afterSwitch = K2.createdAt().plus(Duration.ofMinutes(5));
    // The switch is written and its rollout is pending: say so, look again when it times out.
    RotationDecision waiting = RotationPlanner.afterActing(new RotationInput(spec(AS_IS), Optional.of(SWITCHING), false,
        false, false, true, false, afterSwitch));
    assertThat(waiting.action()).isEqualTo(Action.NONE);
    assertThat(waiting.waitingFor()).isEqualTo(decide(AS_IS, SWITCHING, false, afterSwitch).waitingFor()).isNotEmpty();
    assertThat(waiting.recheckAfter()).contains(Duration.ofMinutes(8));
    // With no targets the switch rollout is complete at once: the expiry is the next reconcile's write.
    RotationDecision more = RotationPlanner.afterActing(new RotationInput(spec(AS_IS), Optional.of(SWITCHING), false,
        false, false, true, true, afterSwitch));
    assertThat(decide(AS_IS, SWITCHING, true, afterSwitch).action()).isEqualTo(Action.MARK_RETIRING);
    assertThat(more.action()).isEqualTo(Action.NONE);
    assertThat(more.recheckAfter()).contains(Duration.ZERO);
  }

  @Test
  void noSecretYetCreatesUnlessTheSpecMakesRejectedKeys() {
    EffectiveSpec s = spec(AS_IS);
    assertThat(RotationPlanner.decide(new RotationInput(s, Optional.empty(), false, false, false, true, true, T0)).action())
        .isEqualTo(Action.CREATE);
    assertThat(RotationPlanner.decide(new RotationInput(s, Optional.empty(), false, true, false, true, true, T0)).reason())
        .isEqualTo(Reasons.SECRET_DELETED);
    assertThat(RotationPlanner.decide(new RotationInput(s, Optional.empty(), false, false, false, false, true, T0)).action())
        .isEqualTo(Action.HOLD);
  }

  @Test
  void aRejectedKeyTakesTheEmergencyPathAndAnAcceptedOneIsAdopted() {
    EffectiveSpec s = spec(AS_IS);
    assertThat(RotationPlanner.decide(new RotationInput(s, Optional.of(IDLE), true, false, true, true, true, T0)))
        .extracting(RotationDecision::action, RotationDecision::reason).containsExactly(Action.EMERGENCY, Reasons.POLICY_VIOLATION);
    assertThat(RotationPlanner.decide(new RotationInput(s, Optional.of(IDLE), true, false, false, true, true, T0)).action())
        .isEqualTo(Action.ADOPT);
  }

  @Test
  void aSwitchNamesThePendingRequestAsItsReason() {
    RotationDecision d = decide(rotateAfter("2026-01-30T00:00:00Z"), PUBLISHING, true, K2.createdAt().plusSeconds(200));
    assertThat(d.action()).isEqualTo(Action.SWITCH);
    assertThat(d.reason()).isEqualTo(Reasons.MANUAL);
    assertThat(decide(AS_IS, PUBLISHING, true, K2.createdAt().plusSeconds(200)).reason()).isEqualTo(Reasons.SCHEDULED);
  }

  @Test
  void cronSchedulesFollowTheirTimeZone() {
    // 03:00 in Berlin (UTC+1 in January) is 02:00 UTC.
    EffectiveSpec s = spec(js -> js.schedule("0 3 * * *").timeZone("Europe/Berlin"));
    assertThat(RotationPlanner.nextDue(s, IDLE)).contains(Instant.parse("2026-01-01T02:00:00Z"));
    assertThat(RotationPlanner.decide(new RotationInput(s, Optional.of(IDLE), false, false, false, true, true,
        Instant.parse("2026-01-01T02:00:00Z"))).action()).isEqualTo(Action.PUBLISH);
    assertThat(IDLE.phase()).isEqualTo(Phase.Idle);
  }
}
