package io.photoapp.jwt.reconciler;

import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.PolicyRules;
import io.photoapp.jwt.reconciler.Plan.Blocked;
import io.photoapp.jwt.reconciler.Plan.ConditionIntent;
import io.photoapp.jwt.reconciler.Plan.EventIntent;
import io.photoapp.jwt.reconciler.Plan.Proceed;
import io.photoapp.jwt.reconciler.Plan.Report;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.RotationInput;
import io.photoapp.jwt.rotation.RotationPlanner;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.secret.KeyState;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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

  static Report proceeded(Observation o, Proceed plan, Applier.Applied applied, KeyRequestThrottle.Limit limit) {
    StatusDraft draft = draft(o);
    EffectiveSpec spec = plan.spec();
    RotationDecision decision = afterActing(o, plan, applied.rollout());
    List<Finding> findings = new ArrayList<>(plan.keyFindings());
    findings.addAll(plan.plannedFindings());
    findings.addAll(PolicyRules.judgeSettings(spec, o.profile(), plan.state().map(s -> s.current().createdAt()).orElse(null),
        o.now()));
    draft.policy(findings);
    // The Secret's write was announced when it was made (Applier).
    List<EventIntent> events = new ArrayList<>();
    if (!plan.plannedFindings().isEmpty() || findings.stream().anyMatch(Finding::isViolation)) {
      Announcements.warnOnChange(o.old(), Conditions.POLICY_COMPLIANT, EventReasons.POLICY_VIOLATION,
          draft.conditionMessage(Conditions.POLICY_COMPLIANT)).ifPresent(events::add);
    }
    if (plan.state().isEmpty()) {
      draft.ready(false, Conditions.POLICY_VIOLATION,
          "no key: the spec makes keys the profile rejects (" + Finding.violationsText(plan.plannedFindings()) + ")");
    } else {
      keys(o, plan, decision, draft);
      draft.gate(decision);
      Announcements.awaitingApproval(o.old(), draft.build(), o.resource().getMetadata().getName()).ifPresent(events::add);
      draft.rollout(applied.rollout(), spec, plan.state().get(), o.now());
      Announcements.rollout(o.old(), draft.condition(Conditions.ROLLOUT_COMPLETE)).ifPresent(events::add);
    }
    Optional<Duration> recheck = patchRecheck(decision.recheckAfter(), applied.rollout(), o.now());
    if (applied.push() != null) {
      draft.push(applied.push());
      recheck = applied.push().sooner(recheck);
    }
    plan.throttledUntil().ifPresent(until -> throttled(o, limit, until, draft, events));
    if (!plan.specValid()) {
      String message = String.join("; ", o.resolved().problems());
      List.of(new ConditionIntent(Conditions.READY, false, Conditions.INVALID_SPEC, message),
          new ConditionIntent(Conditions.POLICY_COMPLIANT, false, Conditions.INVALID_SPEC, message)).forEach(draft::condition);
      Announcements.warnOnChange(o.old(), Conditions.READY, EventReasons.INVALID_SPEC, message).ifPresent(events::add);
    }
    Set<String> violated = !plan.specValid() ? Set.of()
        : findings.stream().filter(Finding::isViolation).map(Finding::rule).collect(Collectors.toUnmodifiableSet());
    return new Report(draft.build(), events, List.of(), recheck, violated);
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

  /** The key facts, and Ready: the key the profile rejects, or the Secret that holds it. */
  private static void keys(Observation o, Proceed plan, RotationDecision decision, StatusDraft draft) {
    KeyState s = plan.state().get();
    EffectiveSpec spec = plan.spec();
    Instant nextRotation = !plan.specValid() ? SecretCodec.parseTime(o.old().nextRotationTime).orElse(null)
        : spec.paused() ? null : RotationPlanner.nextDue(spec, s).orElse(null);
    draft.keys(s, nextRotation);
    draft.nextStages(io.photoapp.jwt.rotation.RotationPlan.remaining(spec, s));
    if (Planner.rejected(plan.keyFindings())) {
      draft.ready(false, Conditions.POLICY_VIOLATION, "the current key breaks the profile: "
          + Finding.violationsText(plan.keyFindings()) + (decision.action() == Action.HOLD ? "; " + decision.waitingFor() : ""));
      return;
    }
    // Restored stays until the key or the spec changes: the reconcile that the takeover's own
    // write triggers must not hide it at once.
    boolean stillRestored = o.restoring() || o.restoredFromStore() || (!decision.writesSecret()
        && s.current().id().equals(o.old().keyId)
        && Objects.equals(o.old().observedGeneration, o.resource().getMetadata().getGeneration())
        && Conditions.find(o.old().conditions, Conditions.READY).filter(c -> Conditions.RESTORED.equals(c.getReason())).isPresent());
    draft.ready(true, stillRestored ? Conditions.RESTORED
            : Reasons.ADOPTED.equals(s.reason()) && s.rotationCount() == 0 ? Conditions.ADOPTED : Conditions.SECRET_READY,
        "Secret " + spec.secretName() + " holds key " + s.current().id()
            + (JwksConfigMap.needed(s) ? "; public keys in ConfigMap " + JwksConfigMap.nameFor(spec.secretName()) : "")
            + (decision.waitingFor().isEmpty() ? "" : "; waiting for " + decision.waitingFor()));
  }

  private static void throttled(Observation o, KeyRequestThrottle.Limit limit, Instant until, StatusDraft draft,
      List<EventIntent> events) {
    String message = KeyRequestThrottle.message(limit, until, o.now());
    draft.ready(false, Conditions.KEY_REQUEST_THROTTLED, message);
    boolean told = Conditions.find(o.old().conditions, Conditions.READY)
        .map(c -> Conditions.KEY_REQUEST_THROTTLED.equals(c.getReason())).orElse(false);
    if (!told) {
      events.add(Announcements.warning(EventReasons.KEY_REQUEST_THROTTLED, message));
    }
  }
}
