package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a reconcile tells people: the Event each key action records, as {@code kubectl describe jwts}
 * shows it (key ids, never key values), which actions count as rotations in the metrics, and which
 * rollout changes are worth an Event.
 */
class AnnouncementsTest {
  static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
  static final String V1 = "k1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String V2 = "k2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  static final StoredKey K1 = StoredKey.of(KeyValue.of(V1), Algorithm.HS256, T0);
  static final StoredKey K2 = StoredKey.of(KeyValue.of(V2), Algorithm.HS256, T0.plus(Duration.ofDays(30)));
  static final KeyState IDLE = KeyState.fresh(K1, Reasons.CREATED, 0);
  static final KeyState PUBLISHING = IDLE.publish(K2);
  static final KeyState SWITCHING = PUBLISHING.switchTo(K2, Reasons.SCHEDULED, K2.createdAt());
  static final KeyState RETIRED = SWITCHING.retiring(K2.createdAt().plus(Duration.ofMinutes(30))).retired();
  static final KeyState FRESH_K2 = KeyState.fresh(K2, Reasons.CREATED, 0);
  static final KeyState EMERGENCY = IDLE.replaceAll(K2, Reasons.EMERGENCY, K2.createdAt());

  /** The Events announced, as {@code kubectl describe} shows them: "Type Reason: message". */
  final List<String> recorded = new ArrayList<>();

  void record(EventIntent event) {
    recorded.add((event.warning() ? "Warning " : "Normal ") + event.reason() + ": " + event.message());
  }

  final JwtSecret app = JwtSecrets.named("app").in("photoapp").uid("u-1").production()
      .restarts(Targets.deployment("backend")).build();
  final EffectiveSpec spec = SpecResolver.resolve(app).spec();
  OperatorMetrics metrics;

  @BeforeEach
  void metrics() {
    metrics = new OperatorMetrics(new MutableClock(T0));
  }

  static Stream<Arguments> actions() {
    return Stream.of(
        argumentSet("the first key", Action.CREATE, Reasons.CREATED, null, IDLE,
            "Normal Created: Created key " + K1.id() + " in Secret app", false),
        argumentSet("a key made again after the Secret was deleted: a rotation", Action.CREATE, Reasons.SECRET_DELETED,
            null, FRESH_K2, "Normal Created: Created key " + K2.id() + " in Secret app (the Secret had been deleted)", true),
        argumentSet("an adopted key", Action.ADOPT, Reasons.ADOPTED, IDLE, IDLE,
            "Normal Adopted: Adopted Secret app with key " + K1.id(), false),
        argumentSet("publishing the next key: not yet a rotation", Action.PUBLISH, Reasons.SCHEDULED, IDLE, PUBLISHING,
            "Normal Rotated: Published next key " + K2.id() + " (Scheduled); switching once every target has rolled out",
            false),
        argumentSet("the switch: the rotation", Action.SWITCH, Reasons.MANUAL, PUBLISHING, SWITCHING,
            "Normal Rotated: Key " + K2.id() + " replaced " + K1.id()
                + " (Manual); the previous key stays for its grace period", true),
        argumentSet("retiring the previous key", Action.RETIRE, Reasons.SCHEDULED, SWITCHING, RETIRED,
            "Normal Rotated: Previous key " + K1.id() + " retired after its grace period", false),
        argumentSet("an emergency: a Warning, and a rotation", Action.EMERGENCY, Reasons.EMERGENCY, IDLE, EMERGENCY,
            "Warning EmergencyRotation: Replaced every key with " + K2.id()
                + " (Emergency); every outstanding token stops verifying once the rollout completes", true),
        argumentSet("nothing to do: silence", Action.NONE, Reasons.SCHEDULED, IDLE, IDLE, null, false),
        argumentSet("held: silence", Action.HOLD, Reasons.SCHEDULED, IDLE, IDLE, null, false));
  }

  @ParameterizedTest
  @MethodSource("actions")
  void eachKeyActionTellsWhatHappenedByKeyId(Action action, String reason, KeyState before, KeyState after,
      String event, boolean countsAsRotation) {
    RotationDecision decision = RotationDecision.act(action, reason);
    Announcements.keyAction(decision, before, after, spec).forEach(this::record);
    // as the Reporter counts them
    Announcements.rotations(decision).forEach(r -> metrics.rotated("photoapp", "app", r));

    assertThat(recorded).isEqualTo(event == null ? List.of() : List.of(event));
    assertThat(String.join("\n", recorded)).doesNotContain(V1).doesNotContain(V2);
    assertThat(metrics.scrape().contains("jwtsecret_rotations_total{name=\"app\",namespace=\"photoapp\",reason=\""
        + reason + "\"} 1.0")).as("counted as a rotation").isEqualTo(countsAsRotation);
  }

  static JwtSecretStatus rollout(String reason, String message) {
    JwtSecretStatus s = new JwtSecretStatus();
    if (reason != null) {
      s.conditions = Conditions.set(null, Conditions.ROLLOUT_COMPLETE, Conditions.ROLLED_OUT.equals(reason), reason,
          message, 1L, T0);
    }
    return s;
  }

  static final String NOT_FOUND = "target not found: Deployment backend";

  static Stream<Arguments> rollouts() {
    RolloutAssessment rolling = new RolloutAssessment(List.of(), List.of(), false, List.of(), List.of(), List.of(),
        List.of("Deployment backend"), List.of("Deployment backend: 1 of 2 replicas updated"), List.of());
    RolloutAssessment done = new RolloutAssessment(List.of(), List.of(), true, List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of());
    RolloutAssessment missing = new RolloutAssessment(List.of(), List.of(), true, List.of(), List.of("Deployment backend"),
        List.of(), List.of(), List.of(), List.of());
    Instant inTime = PUBLISHING.next().orElseThrow().createdAt().plus(Duration.ofMinutes(1));
    Instant late = PUBLISHING.next().orElseThrow().createdAt().plus(Duration.ofMinutes(11));
    return Stream.of(
        argumentSet("a rollout that completes", rollout(Conditions.ROLLOUT_IN_PROGRESS, "rolling out"), done, inTime,
            "Normal RolloutComplete: every target runs key set " + PUBLISHING.keySet()),
        argumentSet("complete at the first look: no news", rollout(null, null), done, inTime, null),
        argumentSet("still complete: no news", rollout(Conditions.ROLLED_OUT, "every target runs key set "
            + PUBLISHING.keySet()), done, inTime, null),
        argumentSet("still rolling: no news", rollout(Conditions.ROLLOUT_IN_PROGRESS, "rolling out"), rolling, inTime, null),
        argumentSet("a rollout that times out", rollout(Conditions.ROLLOUT_IN_PROGRESS, "rolling out"), rolling, late,
            "Warning RolloutTimeout: rollout at Publishing exceeded 10m and holds: Deployment backend: 1 of 2 replicas updated"),
        argumentSet("timed out before: said once", rollout(Conditions.ROLLOUT_TIMEOUT, "earlier"), rolling, late, null),
        argumentSet("a target that names nothing", rollout(Conditions.ROLLED_OUT, "fine"), missing, inTime,
            "Warning TargetNotFound: " + NOT_FOUND),
        argumentSet("the same missing target again: said once", rollout(Conditions.TARGET_NOT_FOUND, NOT_FOUND), missing,
            inTime, null));
  }

  @ParameterizedTest
  @MethodSource("rollouts")
  void aRolloutIsWorthAnEventWhenItsStateChanges(JwtSecretStatus old, RolloutAssessment rollout, Instant now, String event) {
    StatusDraft draft = new StatusDraft(old, 1L, now);
    draft.rollout(rollout, spec, PUBLISHING, now);
    Announcements.rollout(old, draft.condition(Conditions.ROLLOUT_COMPLETE)).ifPresent(this::record);
    assertThat(recorded).isEqualTo(event == null ? List.of() : List.of(event));
  }

  @Test
  void waitingForApprovalIsAnnouncedWhenItBeginsNamingTheKeyToApprove() {
    JwtSecretStatus publishing = new JwtSecretStatus();
    publishing.phase = io.photoapp.jwt.api.Phase.Publishing;
    JwtSecretStatus waiting = new JwtSecretStatus();
    waiting.phase = io.photoapp.jwt.api.Phase.AwaitingApproval;
    waiting.nextKeyId = "k2id";
    assertThat(Announcements.awaitingApproval(publishing, waiting, "app")).hasValueSatisfying(e -> {
      assertThat(e.warning()).isFalse();
      assertThat(e.reason()).isEqualTo(EventReasons.AWAITING_APPROVAL);
      assertThat(e.message()).contains(io.photoapp.jwt.api.Labels.APPROVE_SWITCH + "=k2id").contains("rotate --approve app");
    });
    assertThat(Announcements.awaitingApproval(waiting, waiting, "app")).isEmpty();
    assertThat(Announcements.awaitingApproval(waiting, publishing, "app")).isEmpty();
  }
}
