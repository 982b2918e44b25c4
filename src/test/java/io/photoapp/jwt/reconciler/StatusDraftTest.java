package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.WorkloadStatus;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status a reconcile writes, as a user reads it with {@code kubectl get jwts -o yaml}: key facts
 * from the Secret's state (never a key value), the standard conditions with their reasons and
 * messages, and a lastTransitionTime that moves only when a condition's status does.
 */
class StatusDraftTest {
  static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
  static final Instant NOW = T0.plus(Duration.ofDays(30));
  static final StoredKey K1 = key("k1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", T0);
  static final StoredKey K2 = key("k2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", NOW);
  static final KeyState IDLE = KeyState.fresh(K1, Reasons.CREATED, 0);
  static final KeyState PUBLISHING = IDLE.publish(K2);
  static final KeyState SWITCHING = PUBLISHING.switchTo(K2, Reasons.SCHEDULED, NOW.plus(Duration.ofMinutes(3)));

  static StoredKey key(String value, Instant created) {
    return StoredKey.of(KeyValue.of(value), Algorithm.HS256, created);
  }

  static EffectiveSpec spec(JwtSecrets jwtSecret) {
    return SpecResolver.resolve(jwtSecret.in("photoapp").build()).spec();
  }

  static final EffectiveSpec STAGED = spec(JwtSecrets.named("app").production().rolloutTimeout("10m")
      .restarts(Targets.deployment("backend")));
  static final EffectiveSpec NO_TARGETS = spec(JwtSecrets.named("app").production());

  @Test
  void theKeyFactsComeFromTheSecretsStateAndNoKeyValueIsWritten() {
    StatusDraft draft = new StatusDraft(new JwtSecretStatus(), 4L, NOW);
    draft.keys(SWITCHING.retiring(NOW.plus(Duration.ofMinutes(40))), NOW.plus(Duration.ofDays(30)));
    JwtSecretStatus s = draft.build();

    assertThat(s.phase).isEqualTo(Phase.Retiring);
    assertThat(s.keyId).isEqualTo(K2.id());
    assertThat(s.keyCreatedAt).isEqualTo(NOW.toString());
    assertThat(s.previousKeyId).isEqualTo(K1.id());
    assertThat(s.previousKeyExpiresAt).isEqualTo(NOW.plus(Duration.ofMinutes(40)).toString());
    assertThat(s.nextKeyId).isNull();
    assertThat(s.lastRotationReason).isEqualTo(Reasons.SCHEDULED);
    assertThat(s.rotationCount).isEqualTo(1);
    assertThat(s.nextRotationTime).isEqualTo(NOW.plus(Duration.ofDays(30)).toString());
    assertThat(s.observedGeneration).isEqualTo(4L);
    String written = Serialization.asJson(s);
    assertThat(written).doesNotContain(K1.value().reveal()).doesNotContain(K2.value().reveal());
  }

  @Test
  void withoutAFreshReadingTheLastReportedKeyFactsStayAndTheGenerationIsTheNewOne() {
    StatusDraft earlier = new StatusDraft(new JwtSecretStatus(), 1L, T0);
    earlier.keys(PUBLISHING, null);
    JwtSecretStatus old = earlier.build();

    JwtSecretStatus next = new StatusDraft(old, 2L, NOW).build();
    assertThat(next.phase).isEqualTo(Phase.Publishing);
    assertThat(next.keyId).isEqualTo(K1.id());
    assertThat(next.nextKeyId).isEqualTo(K2.id());
    assertThat(next.nextRotationTime).isNull();
    assertThat(next.observedGeneration).isEqualTo(2L);
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusHoldsAndMovesWhenItFlips() {
    StatusDraft first = new StatusDraft(new JwtSecretStatus(), 1L, T0);
    first.ready(true, Conditions.SECRET_READY, "Secret app holds key k1");
    JwtSecretStatus old = first.build();

    StatusDraft same = new StatusDraft(old, 2L, NOW);
    same.ready(true, Conditions.ADOPTED, "another message, same status");
    Condition kept = ready(same.build());
    assertThat(kept.getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(kept.getReason()).isEqualTo(Conditions.ADOPTED);
    assertThat(kept.getObservedGeneration()).isEqualTo(2L);

    StatusDraft flipped = new StatusDraft(old, 2L, NOW);
    flipped.ready(false, Conditions.SECRET_CONFLICT, "Secret app exists and is not managed by this JwtSecret");
    assertThat(ready(flipped.build()).getLastTransitionTime()).isEqualTo(NOW.toString());
  }

  @Test
  void aConditionSetTwiceWhileDraftedEndsWithItsOldTransitionTimeWhenItEndsWhereItWas() {
    StatusDraft first = new StatusDraft(new JwtSecretStatus(), 1L, T0);
    first.ready(true, Conditions.SECRET_READY, "ready");
    StatusDraft draft = new StatusDraft(first.build(), 1L, NOW);
    draft.ready(false, Conditions.INVALID_SPEC, "for a moment");
    draft.ready(true, Conditions.SECRET_READY, "ready");
    assertThat(ready(draft.build()).getLastTransitionTime()).isEqualTo(T0.toString());
  }

  @Test
  void conditionsAreListedReadyPolicyCompliantRolloutCompleteWhateverTheOrderTheyWereSet() {
    StatusDraft draft = new StatusDraft(new JwtSecretStatus(), 1L, T0);
    draft.rollout(assessment(true), NO_TARGETS, IDLE, T0);
    draft.policy(List.of());
    draft.ready(true, Conditions.SECRET_READY, "ready");
    assertThat(draft.build().conditions).extracting(Condition::getType)
        .containsExactly(Conditions.READY, Conditions.POLICY_COMPLIANT, Conditions.ROLLOUT_COMPLETE);
  }

  static Stream<Arguments> policies() {
    return Stream.of(
        argumentSet("no findings", List.of(), "True Compliant: every rule of the profile holds"),
        argumentSet("a warning only", List.of(Finding.warning(Finding.TOKEN_LIFETIME, "30m is above the recommended 15m")),
            "True Compliant: every rule holds; warnings: token-lifetime: 30m is above the recommended 15m"),
        argumentSet("violations, each named by its rule; warnings left out",
            List.of(Finding.violation(Finding.TOKEN_LIFETIME, "90m is above 60m"),
                Finding.warning(Finding.KEY_AGE, "old"),
                Finding.violation(Finding.MINIMUM_LENGTH, "32 characters, 64 needed")),
            "False PolicyViolation: token-lifetime: 90m is above 60m; minimum-length: 32 characters, 64 needed"),
        argumentSet("the same violation twice is reported once",
            List.of(Finding.violation(Finding.WEAK_KEY, "a known weak value"), Finding.violation(Finding.WEAK_KEY, "a known weak value")),
            "False PolicyViolation: weak-key: a known weak value"));
  }

  @ParameterizedTest
  @MethodSource("policies")
  void policyCompliantSaysWhichRulesHold(List<Finding> findings, String expected) {
    StatusDraft draft = new StatusDraft(new JwtSecretStatus(), 1L, T0);
    draft.policy(findings);
    Condition c = Conditions.find(draft.build().conditions, Conditions.POLICY_COMPLIANT).orElseThrow();
    assertThat(c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).isEqualTo(expected);
  }

  static RolloutAssessment assessment(boolean complete) {
    return new RolloutAssessment(List.of(), List.of(), complete, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  static RolloutAssessment waitingFor(String waiting, String progress) {
    return new RolloutAssessment(List.of(new WorkloadStatus()), List.of(), false, List.of(), List.of(), List.of(),
        List.of(waiting), List.of(progress), List.of());
  }

  static Stream<Arguments> rollouts() {
    Instant published = K2.createdAt();
    return Stream.of(
        argumentSet("no targets", NO_TARGETS, assessment(true), PUBLISHING, published,
            "True NoTargets: no restart targets"),
        argumentSet("every target rolled out", STAGED, assessment(true), PUBLISHING, published,
            "True RolledOut: every target runs key set " + PUBLISHING.keySet()),
        argumentSet("still rolling, within the timeout: which targets, not how far (no write per pod)",
            STAGED, waitingFor("Deployment backend", "Deployment backend: 1 of 3 replicas updated"), PUBLISHING,
            published.plus(Duration.ofMinutes(5)),
            "False RolloutInProgress: rolling out key set " + PUBLISHING.keySet() + " to Deployment backend"),
        argumentSet("past the rollout timeout: how far each target got",
            STAGED, waitingFor("Deployment backend", "Deployment backend: 1 of 3 replicas updated"), PUBLISHING,
            published.plus(Duration.ofMinutes(11)),
            "False RolloutTimeout: rollout at Publishing exceeded 10m and holds: Deployment backend: 1 of 3 replicas updated"),
        argumentSet("an update strategy that cannot roll holds the rotation",
            STAGED, new RolloutAssessment(List.of(), List.of(), false, List.of("Deployment backend is paused"), List.of(),
                List.of(), List.of(), List.of(), List.of()), SWITCHING, NOW.plus(Duration.ofMinutes(5)),
            "False UnsupportedUpdateStrategy: Deployment backend is paused; the rotation holds at Switching"),
        argumentSet("waiting for the other JwtSecrets that roll a shared workload: not late, not rolling",
            STAGED, new RolloutAssessment(List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of("Deployment backend (with photoapp/csrf-jwt)"), java.util.Optional.of(NOW)),
            PUBLISHING, published.plus(Duration.ofMinutes(11)),
            "False RolloutCoalescing: coalescing: waiting at most 30s for the other JwtSecrets due to roll "
                + "Deployment backend (with photoapp/csrf-jwt), to roll it once"),
        argumentSet("a named target that does not exist",
            STAGED, new RolloutAssessment(List.of(), List.of(), true, List.of(), List.of("Deployment not-there"),
                List.of(), List.of(), List.of(), List.of()), IDLE, T0,
            "False TargetNotFound: target not found: Deployment not-there"),
        argumentSet("a target without the opt-in label",
            STAGED, new RolloutAssessment(List.of(), List.of(), true, List.of(), List.of(), List.of("Deployment legacy"),
                List.of(), List.of(), List.of()), IDLE, T0,
            "False TargetNotOptedIn: target lacks the label jwt.photoapp.io/restartable=true: Deployment legacy"),
        argumentSet("under Staged, a target that cannot benefit from the publish stage is named",
            STAGED, new RolloutAssessment(List.of(), List.of(), true, List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of("Deployment backend")), PUBLISHING, published,
            "True RolledOut: every target runs key set " + PUBLISHING.keySet() + "; Deployment backend reads neither "
                + "jwt-secret-key-next nor jwks-secret.json, so it cannot benefit from the publish stage"));
  }

  @ParameterizedTest
  @MethodSource("rollouts")
  void rolloutCompleteSaysWhereTheTargetsStand(EffectiveSpec spec, RolloutAssessment rollout, KeyState state, Instant now,
      String expected) {
    StatusDraft draft = new StatusDraft(new JwtSecretStatus(), 1L, now);
    draft.rollout(rollout, spec, state, now);
    Condition c = Conditions.find(draft.build().conditions, Conditions.ROLLOUT_COMPLETE).orElseThrow();
    assertThat(c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).isEqualTo(expected);
  }

  @Test
  void theWorkloadsListIsLeftOutWhenThereAreNone() {
    StatusDraft draft = new StatusDraft(new JwtSecretStatus(), 1L, T0);
    draft.rollout(assessment(true), NO_TARGETS, IDLE, T0);
    assertThat(draft.build().workloads).isNull();
  }

  private static Condition ready(JwtSecretStatus s) {
    return Conditions.find(s.conditions, Conditions.READY).orElseThrow();
  }
}
