package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.photoapp.jwt.api.Approval;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.RotationSpec;
import io.photoapp.jwt.api.RotationWindow;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.reconciler.Plan.Blocked;
import io.photoapp.jwt.reconciler.Plan.Proceed;
import io.photoapp.jwt.reconciler.Plan.Report;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.secret.OwnershipVerdict;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The status a reconcile writes, drafted from its observation, plan and what was applied: conditions, Events, violated rules. */
class StatusPlanTest {
  private final Planner planner = new Planner(new KeyActions(new KeyGenerator()), KeyRequestThrottle.Limit.DEFAULT);

  static Stream<Arguments> reports() {
    return Stream.of(
        Arguments.of("a conflict: Ready False, nothing else", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.verdict = new OwnershipVerdict(OwnershipVerdict.Standing.CONFLICT, "Secret app exists");
        }, "Ready=False/SecretConflict events=[SecretConflict] rules=unchanged"),
        Arguments.of("the first key: ready, compliant, no targets", (Consumer<Seen>) s -> { },
            "Ready=True/SecretReady PolicyCompliant=True/Compliant RolloutComplete=True/NoTargets events=[] rules=[]"),
        Arguments.of("a planned key the profile rejects: no key, and the rule it breaks", (Consumer<Seen>) s ->
                s.resource = Seen.jwtSecret(spec -> spec.key = PlannerTest.key(40)),
            "Ready=False/PolicyViolation PolicyCompliant=False/PolicyViolation events=[PolicyViolation] rules=[entropy, minimum-length]"),
        Arguments.of("the key request throttle: Ready says until when, once", (Consumer<Seen>) s -> {
          s.old.keyId = "gone";
          for (int i = 1; i <= 3; i++) {
            s.recordedKeys.add(Seen.NOW.minus(Duration.ofMinutes(i)));
          }
        }, "Ready=False/KeyRequestThrottled PolicyCompliant=True/Compliant events=[KeyRequestThrottled] rules=[]"),
        Arguments.of("a spec invalid in its rotation only: the key stays, Ready and PolicyCompliant say InvalidSpec",
            (Consumer<Seen>) s -> {
              s.resource = Seen.jwtSecret(spec -> {
                spec.rotation = new RotationSpec();
                spec.rotation.schedule = "not a schedule";
              });
              s.withOwnSecret(Seen.NOW);
            }, "Ready=False/InvalidSpec PolicyCompliant=False/InvalidSpec RolloutComplete=True/NoTargets events=[InvalidSpec] rules=[]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reports")
  void report(String name, Consumer<Seen> observation, String expected) {
    assertThat(describe(report(Seen.of(observation).build()))).isEqualTo(expected);
  }

  @Test
  void aStatusReportedAgainUnchangedKeepsItsTransitionTimesAndSendsNoEvent() {
    Seen seen = Seen.of(s -> s.withOwnSecret(Seen.NOW));
    JwtSecretStatus first = report(seen.build()).status();
    first.conditions.forEach(c -> c.setLastTransitionTime("2026-01-01T00:00:00Z"));
    seen.old = first;
    Report again = report(seen.build());
    assertThat(again.events()).isEmpty();
    assertThat(again.status().conditions).extracting(Condition::getLastTransitionTime).containsOnly("2026-01-01T00:00:00Z");
  }

  @Test
  void keyFactsComeFromTheStateAndNeverHoldAValue() {
    Observation observed = Seen.of(s -> { }).build();
    Proceed plan = (Proceed) planner.plan(observed);
    JwtSecretStatus status = StatusPlan.proceeded(observed, plan, new Applier.Applied(plan.desiredSecret(), plan.rollout(), null)).status();
    assertThat(status.keyId).isEqualTo(plan.state().get().current().id());
    assertThat(status.observedGeneration).isEqualTo(1L);
    assertThat(status.toString()).doesNotContain(plan.state().get().current().value().reveal());
  }

  @Test
  void aManualSwitchThatIsDueWaitsInPhaseAwaitingApprovalAndSaysSoOnce() {
    Seen seen = Seen.of(s -> {
      s.resource = Seen.jwtSecret(spec -> {
        spec.rotation = new RotationSpec();
        spec.rotation.approval = Approval.Manual;
      });
      s.withPublishedSecret(Seen.NOW.minus(Duration.ofDays(1)), Seen.NOW.minus(Duration.ofHours(1)));
    });
    Report first = report(seen.build());
    assertThat(first.status().phase).isEqualTo(Phase.AwaitingApproval);
    Condition ready = Conditions.find(first.status().conditions, Conditions.READY).get();
    assertThat(ready.getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(ready.getReason()).isEqualTo(Conditions.AWAITING_APPROVAL);
    assertThat(ready.getMessage()).contains(Labels.APPROVE_SWITCH + "=" + first.status().nextKeyId);
    assertThat(first.events()).extracting(EventIntent::reason).containsExactly(EventReasons.AWAITING_APPROVAL);
    assertThat(first.events().get(0).message()).contains(first.status().nextKeyId).contains("rotate --approve app");

    seen.old = first.status();
    Report again = report(seen.build());
    assertThat(again.status().phase).isEqualTo(Phase.AwaitingApproval);
    assertThat(again.events()).isEmpty();
  }

  @Test
  void aDueRotationOutsideItsWindowsStaysIdleAwaitingWindowUntilTheNextOpening() {
    Observation observed = Seen.of(s -> {
      s.resource = Seen.jwtSecret(spec -> {
        spec.rotation = new RotationSpec();
        spec.rotation.schedule = "@every 720h";
        RotationWindow nightly = new RotationWindow();
        nightly.start = "02:00";
        nightly.end = "05:00";
        spec.rotation.windows = List.of(nightly);
      });
      s.withOwnSecret(Seen.NOW.minus(Duration.ofDays(31)));
    }).build();
    Report r = report(observed);
    assertThat(r.status().phase).isEqualTo(Phase.Idle);
    Condition ready = Conditions.find(r.status().conditions, Conditions.READY).get();
    assertThat(ready.getReason()).isEqualTo(Conditions.AWAITING_WINDOW);
    assertThat(ready.getMessage()).contains("2026-03-02T02:00:00Z");
    // 2026-03-01T12:00Z: the next window opens at 02:00 the next day.
    assertThat(r.recheck()).contains(Duration.ofHours(14));
  }

  @Test
  void aPatchQueuedBehindMaxConcurrentRolloutsSaysWhereItStandsAndLooksAgainSoon() {
    Observation observed = Seen.of(s -> {
      s.resource = restartingBackend();
      s.withOwnSecret(Seen.NOW);
    }).build();
    Proceed plan = (Proceed) planner.plan(observed);
    RolloutAssessment queued = new RolloutAssessment(List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of("Deployment backend"));
    Report r = StatusPlan.proceeded(observed, plan, new Applier.Applied(plan.desiredSecret(), queued, null));
    Condition rollout = Conditions.find(r.status().conditions, Conditions.ROLLOUT_COMPLETE).get();
    assertThat(rollout.getReason()).isEqualTo(Conditions.ROLLOUT_QUEUED);
    assertThat(rollout.getMessage()).contains("Deployment backend");
    assertThat(r.recheck()).hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(io.photoapp.jwt.restart.RolloutAssessment.QUEUE_RECHECK));
  }

  static Stream<Arguments> readyAfterWrites() {
    Plan.ConditionIntent ready = new Plan.ConditionIntent(Conditions.READY, true, Conditions.SECRET_READY, "Secret app holds key k1");
    return Stream.of(
        Arguments.of("no key: nothing added", ready, Plan.ReadyWait.NONE,
            io.photoapp.jwt.rotation.RotationDecision.waitFor("the rollout", java.util.Optional.empty()), "Secret app holds key k1"),
        Arguments.of("a rejected key whose rotation holds: what it holds for", ready, Plan.ReadyWait.HELD,
            new io.photoapp.jwt.rotation.RotationDecision(io.photoapp.jwt.rotation.Action.HOLD, "", java.util.Optional.empty(),
                "a key the profile accepts"), "Secret app holds key k1; a key the profile accepts"),
        Arguments.of("a rejected key whose rotation does not hold: nothing added", ready, Plan.ReadyWait.HELD,
            io.photoapp.jwt.rotation.RotationDecision.waitFor("the rollout", java.util.Optional.empty()), "Secret app holds key k1"),
        Arguments.of("the key held: what the rotation waits for after the writes", ready, Plan.ReadyWait.WAITING,
            io.photoapp.jwt.rotation.RotationDecision.waitFor("the rollout", java.util.Optional.empty()),
            "Secret app holds key k1; waiting for the rollout"),
        Arguments.of("the key held, nothing waited for: nothing added", ready, Plan.ReadyWait.WAITING,
            io.photoapp.jwt.rotation.RotationDecision.waitFor("", java.util.Optional.empty()), "Secret app holds key k1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readyAfterWrites")
  void readyAfterWrites(String name, Plan.ConditionIntent ready, Plan.ReadyWait wait,
      io.photoapp.jwt.rotation.RotationDecision after, String message) {
    Plan.ConditionIntent written = StatusPlan.afterWrites(ready, wait, after);
    assertThat(written.message()).isEqualTo(message);
    assertThat(written.reason()).isEqualTo(ready.reason());
  }

  @Test
  void whatReadyWaitsForAfterAPublishDependsOnTheRolloutAsThePatchesLeftIt() {
    Observation observed = Seen.of(s -> {
      s.resource = restartingBackend();
      s.resource.getSpec().rotation = new RotationSpec();
      s.resource.getSpec().rotation.schedule = "@every 24h";
      s.withOwnSecret(Seen.NOW.minus(Duration.ofDays(2)));
    }).build();
    Proceed plan = (Proceed) planner.plan(observed);
    assertThat(plan.decision().action()).isEqualTo(io.photoapp.jwt.rotation.Action.PUBLISH);
    RolloutAssessment rolled = new RolloutAssessment(List.of(), List.of(), true, List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of());
    RolloutAssessment queued = new RolloutAssessment(List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of("Deployment backend"));
    String whenRolled = ready(StatusPlan.proceeded(observed, plan, new Applier.Applied(plan.desiredSecret(), rolled, null)));
    String whenQueued = ready(StatusPlan.proceeded(observed, plan, new Applier.Applied(plan.desiredSecret(), queued, null)));
    assertThat(whenRolled).startsWith(plan.intents().ready().message());
    assertThat(whenQueued).startsWith(plan.intents().ready().message()).isNotEqualTo(whenRolled);
  }

  @Test
  void theStoresEventsAndPushedComeFromThePushReportAheadOfTheStatusEvents() {
    Observation observed = Seen.of(s -> {
      s.resource = Seen.jwtSecret(spec -> {
        spec.token = new io.photoapp.jwt.api.TokenSpec();
        spec.token.accessTokenExpireMinutes = 90;
      });
      s.withOwnSecret(Seen.NOW);
    }).build();
    Proceed plan = (Proceed) planner.plan(observed);
    io.photoapp.jwt.push.KeyPush.Report pushed = new io.photoapp.jwt.push.KeyPush.Report(List.of(),
        java.util.Optional.of(new io.photoapp.jwt.push.PushPlanner.Verdict(false, "StoreUnreachable", "vault: refused")),
        java.util.Optional.of(Duration.ofSeconds(10)),
        List.of(EventIntent.warning(EventReasons.PUSH_FAILED, "Push of key set k1 to vault failed")));
    Report r = StatusPlan.proceeded(observed, plan, new Applier.Applied(plan.desiredSecret(), plan.rollout(), pushed));
    assertThat(r.events()).extracting(EventIntent::reason).containsExactly(EventReasons.PUSH_FAILED, EventReasons.POLICY_VIOLATION);
    assertThat(Conditions.find(r.status().conditions, io.photoapp.jwt.push.KeyPush.CONDITION).get().getReason())
        .isEqualTo("StoreUnreachable");
    assertThat(r.recheck()).contains(Duration.ofSeconds(10));
  }

  /** The default JwtSecret, restarting Deployment backend. */
  private static io.photoapp.jwt.api.JwtSecret restartingBackend() {
    io.photoapp.jwt.api.JwtSecret js = io.photoapp.jwt.testing.JwtSecrets.named("app").in("ns").uid(Seen.UID).production()
        .restarts(io.photoapp.jwt.testing.JwtSecrets.Targets.deployment("backend")).build();
    js.getMetadata().setGeneration(1L);
    return js;
  }

  private static String ready(Report r) {
    return Conditions.find(r.status().conditions, Conditions.READY).get().getMessage();
  }

  private Report report(Observation observed) {
    Plan plan = planner.plan(observed);
    if (plan instanceof Blocked blocked) {
      return StatusPlan.blocked(observed, blocked);
    }
    Proceed proceed = (Proceed) plan;
    return StatusPlan.proceeded(observed, proceed, new Applier.Applied(proceed.desiredSecret(), proceed.rollout(), null));
  }

  static String describe(Report r) {
    String conditions = r.status().conditions.stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .collect(Collectors.joining(" "));
    return conditions + " events=" + r.events().stream().map(EventIntent::reason).toList()
        + " rules=" + (r.violatedRules() == null ? "unchanged" : List.copyOf(new java.util.TreeSet<>(r.violatedRules())));
  }
}
