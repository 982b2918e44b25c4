package io.photoapp.jwt.reconciler;

import io.photoapp.jwt.reconciler.Plan.Blocked;
import io.photoapp.jwt.reconciler.Plan.ConditionIntent;
import io.photoapp.jwt.reconciler.Plan.Intents;
import io.photoapp.jwt.reconciler.Plan.Proceed;
import io.photoapp.jwt.reconciler.Plan.ReadyWait;
import io.photoapp.jwt.reconciler.Plan.Report;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.RotationInput;
import io.photoapp.jwt.rotation.RotationPlanner;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reconcile reports, from its observation, its plan and what was applied: the next status
 * (through {@link StatusDraft}), the Events, when to look again, the rules the violations metric shows. Pure.
 */
final class StatusPlan {
  private StatusPlan() {}

  static Report blocked(Observation o, Blocked plan) {
    StatusDraft draft = draft(o);
    plan.conditions().forEach(draft::condition);
    return new Report(draft.build(), plan.events(), List.of(), plan.recheck(), null);
  }

  /**
   * The plan's intents, known before the writes (PolicyCompliant, Ready, the throttle, an invalid spec),
   * completed with what depends on how the writes went: what holds the rotation after them (the
   * rollout's patches, queued or made, decide it), its gate, RolloutComplete, and the stores' Pushed.
   */
  static Report proceeded(Observation o, Proceed plan, Applier.Applied applied) {
    StatusDraft draft = draft(o);
    Intents told = plan.intents();
    draft.condition(told.compliance());
    // The Secret's write was announced when it was made (Applier); the stores were written after it.
    List<EventIntent> events = new ArrayList<>(applied.push() == null ? List.of() : applied.push().events());
    events.addAll(told.leadingEvents());
    RotationDecision decision = afterActing(o, plan, applied.rollout());
    if (plan.state().isEmpty()) {
      draft.condition(told.ready());
    } else {
      KeyState state = plan.state().get();
      draft.keys(state, nextRotation(o, plan, state));
      draft.nextStages(io.photoapp.jwt.rotation.RotationPlan.remaining(plan.spec(), state));
      draft.condition(afterWrites(told.ready(), told.readyWait(), decision));
      draft.gate(decision);
      Announcements.awaitingApproval(o.old(), draft.build(), o.resource().getMetadata().getName()).ifPresent(events::add);
      draft.rollout(applied.rollout(), plan.spec(), state, o.now());
      Announcements.rollout(o.old(), draft.condition(Conditions.ROLLOUT_COMPLETE)).ifPresent(events::add);
    }
    Optional<Duration> recheck = patchRecheck(decision.recheckAfter(), applied.rollout(), o.now());
    if (applied.push() != null) {
      draft.push(applied.push());
      recheck = applied.push().sooner(recheck);
    }
    told.overrides().forEach(draft::condition);
    events.addAll(told.closingEvents());
    return new Report(draft.build(), events, List.of(), recheck, told.violatedRules());
  }

  /** Ready's message with what the rotation, as it stands after the writes, holds or waits for. */
  static ConditionIntent afterWrites(ConditionIntent ready, ReadyWait wait, RotationDecision decision) {
    String suffix = switch (wait) {
      case NONE -> "";
      case HELD -> decision.action() == Action.HOLD ? "; " + decision.waitingFor() : "";
      case WAITING -> decision.waitingFor().isEmpty() ? "" : "; waiting for " + decision.waitingFor();
    };
    return suffix.isEmpty() ? ready : new ConditionIntent(ready.type(), ready.status(), ready.reason(), ready.message() + suffix);
  }

  /** A patch queued behind --max-concurrent-rollouts, or coalescing: look again for a slot soon, or when the window ends. */
  private static Optional<Duration> patchRecheck(Optional<Duration> recheck, RolloutAssessment rollout, java.time.Instant now) {
    Optional<Duration> patch = rollout == null ? Optional.empty() : rollout.recheck(now);
    if (patch.isEmpty()) {
      return recheck;
    }
    return Optional.of(recheck.filter(d -> d.compareTo(patch.get()) < 0).orElse(patch.get()));
  }

  private static StatusDraft draft(Observation o) {
    return new StatusDraft(o.old(), o.resource().getMetadata().getGeneration(), o.now());
  }

  /** What holds the rotation now, after this reconcile's writes: status says it in the same patch (one status patch per stage). */
  private static RotationDecision afterActing(Observation o, Proceed plan, RolloutAssessment rollout) {
    if (!plan.decision().writesSecret() || plan.state().isEmpty()) {
      return plan.decision();
    }
    return RotationPlanner.afterActing(new RotationInput(plan.spec(), plan.state(), false, false,
        Planner.rejected(plan.keyFindings()), plan.plannedFindings().isEmpty(), rollout != null && rollout.complete(),
        o.now(), plan.specValid()));
  }

  /** When the schedule asks next; as last reported while the spec is invalid, none while paused. */
  private static Instant nextRotation(Observation o, Proceed plan, KeyState state) {
    return !plan.specValid() ? SecretCodec.parseTime(o.old().nextRotationTime).orElse(null)
        : plan.spec().paused() ? null : RotationPlanner.nextDue(plan.spec(), state).orElse(null);
  }
}
