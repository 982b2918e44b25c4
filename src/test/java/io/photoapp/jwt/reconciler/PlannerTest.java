package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.KeySpec;
import io.photoapp.jwt.api.RotationSpec;
import io.photoapp.jwt.api.SecretSpec;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.reconciler.Plan.Blocked;
import io.photoapp.jwt.reconciler.Plan.ConditionIntent;
import io.photoapp.jwt.reconciler.Plan.Intents;
import io.photoapp.jwt.reconciler.Plan.Proceed;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.secret.OwnershipVerdict;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the planner decides from an observation: every way a reconcile is blocked, and what it writes when it proceeds. */
class PlannerTest {
  private final Planner planner = new Planner(new KeyActions(new KeyGenerator()), KeyRequestThrottle.Limit.DEFAULT);

  static Stream<Arguments> plans() {
    return Stream.of(
        Arguments.of("an invalid spec writes nothing and says why in Ready and PolicyCompliant", (Consumer<Seen>) s ->
                s.resource = Seen.jwtSecret(spec -> spec.key = key(7)),
            "blocked INVALID_SPEC Ready=InvalidSpec PolicyCompliant=InvalidSpec events=[InvalidSpec]"),
        Arguments.of("an invalid spec already reported sends no second Warning", (Consumer<Seen>) s -> {
          s.resource = Seen.jwtSecret(spec -> spec.key = key(7));
          s.old.conditions = Conditions.set(null, Conditions.READY, false, Conditions.INVALID_SPEC,
              String.join("; ", io.photoapp.jwt.spec.SpecResolver.resolve(s.resource).problems()), 1L, Seen.NOW);
        }, "blocked INVALID_SPEC Ready=InvalidSpec PolicyCompliant=InvalidSpec events=[]"),
        Arguments.of("changed Secret settings block", (Consumer<Seen>) s -> s.immutability = Optional.of("key names changed"),
            "blocked SECRET_SPEC_IMMUTABLE Ready=SecretSpecImmutable events=[SecretSpecImmutable]"),
        Arguments.of("someone else's Secret is a conflict", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.verdict = new OwnershipVerdict(OwnershipVerdict.Standing.CONFLICT, "Secret app exists");
        }, "blocked CONFLICT Ready=SecretConflict events=[SecretConflict]"),
        Arguments.of("a Secret that breaks an adoption rule is refused", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.verdict = new OwnershipVerdict(OwnershipVerdict.Standing.REFUSED, "adoption refused (rule type-opaque)");
        }, "blocked ADOPTION_REFUSED Ready=AdoptionRefused events=[AdoptionRefused]"),
        Arguments.of("a restore store not yet readable waits and looks again", (Consumer<Seen>) s ->
                s.fromStore = new StoreRestore.Outcome(Optional.empty(), "vault", Optional.of("store not ready"),
                    Optional.of(Duration.ofSeconds(30)), java.util.List.of()),
            "blocked RESTORE_PENDING Ready=RestorePending events=[RestorePending] recheck"),
        Arguments.of("what the restore found worth telling goes ahead of a conflict", (Consumer<Seen>) s -> {
          s.fromStore = StoreRestore.Outcome.none(java.util.List.of(restoreTimedOut()));
          s.configMapVerdict = new OwnershipVerdict(OwnershipVerdict.Standing.CONFLICT, "ConfigMap app-jwks exists");
        }, "blocked CONFLICT Ready=SecretConflict events=[RestoreTimedOut, SecretConflict]"),
        Arguments.of("someone else's public keys' ConfigMap is a conflict", (Consumer<Seen>) s ->
                s.configMapVerdict = new OwnershipVerdict(OwnershipVerdict.Standing.CONFLICT, "ConfigMap app-jwks exists"),
            "blocked CONFLICT Ready=SecretConflict events=[SecretConflict]"),
        Arguments.of("no Secret: the first key is created", (Consumer<Seen>) s -> { },
            "proceed CREATE write-secret events=[Created] rotations=[] push"),
        Arguments.of("a restore that timed out: its Warning goes ahead of the new key's Event", (Consumer<Seen>) s ->
                s.fromStore = StoreRestore.Outcome.none(java.util.List.of(restoreTimedOut())),
            "proceed CREATE write-secret events=[RestoreTimedOut, Created] rotations=[] push"),
        Arguments.of("the Secret was deleted: a new key, counted as a rotation", (Consumer<Seen>) s -> s.old.keyId = "gone",
            "proceed CREATE write-secret events=[Created] rotations=[SecretDeleted] push"),
        Arguments.of("a current key and nothing due: nothing written", (Consumer<Seen>) s -> s.withOwnSecret(Seen.NOW),
            "proceed NONE events=[] rotations=[] push"),
        Arguments.of("a Secret changed outside the operator is repaired and reported", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.externalChanges = java.util.List.of("data key x added");
        }, "proceed NONE write-secret events=[ExternalChange] rotations=[] push"),
        Arguments.of("a fourth key within ten minutes waits for the throttle", (Consumer<Seen>) s -> {
          s.old.keyId = "gone";
          for (int i = 1; i <= 3; i++) {
            s.recordedKeys.add(Seen.NOW.minus(Duration.ofMinutes(i)));
          }
        }, "proceed HOLD events=[] rotations=[] throttled"),
        Arguments.of("a planned key the profile rejects is never made", (Consumer<Seen>) s ->
                s.resource = Seen.jwtSecret(spec -> spec.key = key(40)),
            "proceed HOLD events=[] rotations=[]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void plan(String name, Consumer<Seen> observation, String expected) {
    assertThat(describe(planner.plan(Seen.of(observation).build()))).isEqualTo(expected);
  }

  @Test
  void aStagedRotationDueOnSchedulePublishesTheNextKeyFirstAndKeepsTheCurrentOne() {
    Seen seen = Seen.of(s -> {
      s.resource = Seen.jwtSecret(spec -> {
        spec.rotation = new RotationSpec();
        spec.rotation.schedule = "@every 24h";
      });
      s.withOwnSecret(Seen.NOW.minus(Duration.ofDays(2)));
    });
    Plan plan = planner.plan(seen.build());
    assertThat(describe(plan)).isEqualTo("proceed PUBLISH write-secret events=[Rotated] rotations=[] push");
    Proceed proceed = (Proceed) plan;
    assertThat(proceed.state().get().current().id()).isEqualTo(seen.old.keyId);
    assertThat(proceed.state().get().next().map(k -> k.id())).isPresent().get().isNotEqualTo(seen.old.keyId);
    assertThat(proceed.desiredConfigMap()).as("HMAC keys have no public keys to publish").isNull();
  }

  @Test
  void theEventsOfAPlanNameKeyIdsAndNeverAValue() {
    Proceed proceed = (Proceed) planner.plan(Seen.of(s -> { }).build());
    String value = proceed.state().get().current().value().reveal();
    assertThat(proceed.events()).extracting(EventIntent::message).noneMatch(m -> m.contains(value))
        .anyMatch(m -> m.contains(proceed.state().get().current().id()));
  }

  static Stream<Arguments> firstBlockingFacts() {
    return Stream.of(
        Arguments.of("nothing blocks", (Consumer<Seen>) s -> s.withOwnSecret(Seen.NOW), "none"),
        Arguments.of("changed Secret settings come before the Secret's verdict", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.immutability = Optional.of("key names changed");
          s.verdict = new OwnershipVerdict(OwnershipVerdict.Standing.CONFLICT, "Secret app exists");
        }, "SECRET_SPEC_IMMUTABLE"),
        Arguments.of("the Secret's refusal comes before the ConfigMap's conflict", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.verdict = new OwnershipVerdict(OwnershipVerdict.Standing.REFUSED, "adoption refused (rule type-opaque)");
          s.configMapVerdict = new OwnershipVerdict(OwnershipVerdict.Standing.CONFLICT, "ConfigMap app-jwks exists");
        }, "ADOPTION_REFUSED adoption refused (rule type-opaque)"),
        Arguments.of("a ConfigMap of ours blocks nothing", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.configMapVerdict = OwnershipVerdict.OURS;
        }, "none"),
        Arguments.of("a pending restore comes before the ConfigMap's conflict", (Consumer<Seen>) s -> {
          s.fromStore = new StoreRestore.Outcome(Optional.empty(), "vault", Optional.of("store not ready"), Optional.empty(),
              java.util.List.of());
          s.configMapVerdict = new OwnershipVerdict(OwnershipVerdict.Standing.CONFLICT, "ConfigMap app-jwks exists");
        }, "RESTORE_PENDING"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("firstBlockingFacts")
  void theFirstBlockingFactDecides(String name, Consumer<Seen> observation, String expected) {
    Observation o = Seen.of(observation).build();
    String cause = Planner.blockedBy(o).map(Enum::name).orElse("none");
    Plan plan = planner.plan(o);
    if (plan instanceof Blocked b) {
      assertThat(b.cause().name()).isEqualTo(cause);
      if (b.cause() == Plan.Cause.ADOPTION_REFUSED) {
        cause += " " + ready(b).message();
      }
    }
    assertThat(cause).isEqualTo(expected);
  }

  static Stream<Arguments> intents() {
    return Stream.of(
        Arguments.of("the first key: compliant, Ready names the Secret and adds what the rotation waits for",
            (Consumer<Seen>) s -> { },
            "PolicyCompliant=True/Compliant Ready=True/SecretReady+WAITING overrides=[] leading=[] closing=[] rules=[]"),
        Arguments.of("a token lifetime above the recommendation: compliant, with a warning and no Event", (Consumer<Seen>) s ->
                s.resource = Seen.jwtSecret(spec -> {
                  spec.token = new io.photoapp.jwt.api.TokenSpec();
                  spec.token.accessTokenExpireMinutes = 30;
                }),
            "PolicyCompliant=True/Compliant(warnings) Ready=True/SecretReady+WAITING overrides=[] leading=[] closing=[] rules=[]"),
        Arguments.of("a planned key the profile rejects: no key, the rules it breaks, a Warning", (Consumer<Seen>) s ->
                s.resource = Seen.jwtSecret(spec -> spec.key = key(40)),
            "PolicyCompliant=False/PolicyViolation Ready=False/PolicyViolation+NONE overrides=[] leading=[PolicyViolation]"
                + " closing=[] rules=[entropy, minimum-length]"),
        Arguments.of("a token lifetime over the limit (and the grace period short of it): Ready stays, the rules are counted", (Consumer<Seen>) s -> {
          s.resource = Seen.jwtSecret(spec -> {
            spec.token = new io.photoapp.jwt.api.TokenSpec();
            spec.token.accessTokenExpireMinutes = 90;
          });
          s.withOwnSecret(Seen.NOW);
        }, "PolicyCompliant=False/PolicyViolation Ready=True/SecretReady+WAITING overrides=[] leading=[PolicyViolation]"
            + " closing=[] rules=[grace-period, token-lifetime]"),
        Arguments.of("a current key the profile rejects, with no better key to make: Ready says so and what holds it",
            (Consumer<Seen>) s -> {
              s.resource = Seen.jwtSecret(spec -> spec.key = key(40));
              s.withOwnSecret(Seen.NOW);
            }, "PolicyCompliant=False/PolicyViolation Ready=False/PolicyViolation+HELD overrides=[] leading=[PolicyViolation]"
                + " closing=[] rules=[entropy, minimum-length]"),
        Arguments.of("a Secret adopted: Ready says Adopted", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.verdict = new OwnershipVerdict(OwnershipVerdict.Standing.ADOPTABLE, "adoptable");
        }, "PolicyCompliant=True/Compliant Ready=True/Adopted+WAITING overrides=[] leading=[] closing=[] rules=[]"),
        Arguments.of("a Secret taken over after a restore: Ready says Restored", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.verdict = new OwnershipVerdict(OwnershipVerdict.Standing.RESTORABLE, "restorable");
        }, "PolicyCompliant=True/Compliant Ready=True/Restored+WAITING overrides=[] leading=[] closing=[] rules=[]"),
        Arguments.of("Restored stays while the key and the spec are the same", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.old.observedGeneration = 1L;
          s.old.conditions = Conditions.set(null, Conditions.READY, true, Conditions.RESTORED, "restored", 1L, Seen.NOW);
        }, "PolicyCompliant=True/Compliant Ready=True/Restored+WAITING overrides=[] leading=[] closing=[] rules=[]"),
        Arguments.of("Restored goes once the spec changed", (Consumer<Seen>) s -> {
          s.withOwnSecret(Seen.NOW);
          s.old.observedGeneration = 0L;
          s.old.conditions = Conditions.set(null, Conditions.READY, true, Conditions.RESTORED, "restored", 0L, Seen.NOW);
        }, "PolicyCompliant=True/Compliant Ready=True/SecretReady+WAITING overrides=[] leading=[] closing=[] rules=[]"),
        Arguments.of("the key request throttle: Ready False over whatever the writes did, and a Warning", (Consumer<Seen>) s -> {
          s.old.keyId = "gone";
          for (int i = 1; i <= 3; i++) {
            s.recordedKeys.add(Seen.NOW.minus(Duration.ofMinutes(i)));
          }
        }, "PolicyCompliant=True/Compliant Ready=False/PolicyViolation+NONE overrides=[Ready=False/KeyRequestThrottled]"
            + " leading=[] closing=[KeyRequestThrottled] rules=[]"),
        Arguments.of("the throttle already reported: no second Warning", (Consumer<Seen>) s -> {
          s.old.keyId = "gone";
          s.old.conditions = Conditions.set(null, Conditions.READY, false, Conditions.KEY_REQUEST_THROTTLED, "earlier", 1L,
              Seen.NOW);
          for (int i = 1; i <= 3; i++) {
            s.recordedKeys.add(Seen.NOW.minus(Duration.ofMinutes(i)));
          }
        }, "PolicyCompliant=True/Compliant Ready=False/PolicyViolation+NONE overrides=[Ready=False/KeyRequestThrottled]"
            + " leading=[] closing=[] rules=[]"),
        Arguments.of("a spec invalid in its rotation only: the key stays, InvalidSpec over Ready and PolicyCompliant, no rule counted",
            (Consumer<Seen>) s -> {
              s.resource = Seen.jwtSecret(spec -> {
                spec.rotation = new RotationSpec();
                spec.rotation.schedule = "not a schedule";
                spec.token = new io.photoapp.jwt.api.TokenSpec();
                spec.token.accessTokenExpireMinutes = 90;
              });
              s.withOwnSecret(Seen.NOW);
            }, "PolicyCompliant=False/PolicyViolation Ready=True/SecretReady+WAITING"
                + " overrides=[Ready=False/InvalidSpec, PolicyCompliant=False/InvalidSpec] leading=[PolicyViolation]"
                + " closing=[InvalidSpec] rules=[]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("intents")
  void intents(String name, Consumer<Seen> observation, String expected) {
    assertThat(describe(((Proceed) planner.plan(Seen.of(observation).build())).intents())).isEqualTo(expected);
  }

  @Test
  void aViolationAlreadyReportedInTheSameWordsSendsNoSecondWarning() {
    Seen seen = Seen.of(s -> s.resource = Seen.jwtSecret(spec -> spec.key = key(40)));
    Intents first = ((Proceed) planner.plan(seen.build())).intents();
    seen.old.conditions = Conditions.set(null, Conditions.POLICY_COMPLIANT, false, Conditions.POLICY_VIOLATION,
        first.compliance().message(), 1L, Seen.NOW);
    assertThat(((Proceed) planner.plan(seen.build())).intents().leadingEvents()).isEmpty();
  }

  @Test
  void readyNamesTheKeyIdAndTheRulesNeverAValue() {
    Proceed proceed = (Proceed) planner.plan(Seen.of(s -> {
      s.resource = Seen.jwtSecret(spec -> spec.key = key(40));
      s.withOwnSecret(Seen.NOW);
    }).build());
    assertThat(proceed.intents().ready().message()).startsWith("the current key breaks the profile: ")
        .doesNotContain(proceed.state().get().current().value().reveal());
    Proceed fresh = (Proceed) planner.plan(Seen.of(s -> { }).build());
    assertThat(fresh.intents().ready().message()).isEqualTo("Secret app holds key " + fresh.state().get().current().id());
  }

  static String describe(Intents i) {
    return i.compliance().type() + "=" + condition(i.compliance())
        + (i.compliance().message().contains("warnings") ? "(warnings)" : "") + " " + i.ready().type() + "="
        + condition(i.ready()) + "+" + i.readyWait() + " overrides="
        + i.overrides().stream().map(c -> c.type() + "=" + condition(c)).toList() + " leading=" + reasons(i.leadingEvents())
        + " closing=" + reasons(i.closingEvents()) + " rules=" + new java.util.TreeSet<>(i.violatedRules());
  }

  private static String condition(ConditionIntent c) {
    return (c.status() ? "True" : "False") + "/" + c.reason();
  }

  static EventIntent restoreTimedOut() {
    return EventIntent.warning(io.photoapp.jwt.ops.EventReasons.RESTORE_TIMED_OUT, "No key set restored: store vault");
  }

  static KeySpec key(int length) {
    KeySpec key = new KeySpec();
    key.length = length;
    return key;
  }

  /** A plan in one line: blocked with its cause, conditions and Events, or the decision and its writes. */
  static String describe(Plan plan) {
    if (plan instanceof Blocked b) {
      return "blocked " + b.cause() + " " + b.conditions().stream().map(c -> c.type() + "=" + c.reason())
          .collect(Collectors.joining(" ")) + " events=" + reasons(b.events()) + (b.recheck().isPresent() ? " recheck" : "");
    }
    Proceed p = (Proceed) plan;
    return "proceed " + p.decision().action() + (p.writesSecret() ? " write-secret" : "") + " events=" + reasons(p.events())
        + " rotations=" + p.rotations() + (p.pushAllowed() ? " push" : "") + (p.throttledUntil().isPresent() ? " throttled" : "");
  }

  static String reasons(java.util.List<EventIntent> events) {
    return events.stream().map(EventIntent::reason).toList().toString();
  }

  static ConditionIntent ready(Blocked b) {
    return b.conditions().get(0);
  }

  static SecretSpec secret() {
    return new SecretSpec();
  }
}
