package io.photoapp.jwt.reconciler;

import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.PolicyRules;
import io.photoapp.jwt.reconciler.Plan.ConditionIntent;
import io.photoapp.jwt.reconciler.Plan.Intents;
import io.photoapp.jwt.reconciler.Plan.Proceed;
import io.photoapp.jwt.reconciler.Plan.ReadyWait;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The part of a reconcile's report that its plan knows before any write: PolicyCompliant, Ready, the
 * key request throttle and an invalid spec, their Events, and the rules the violations metric shows. Pure.
 */
final class PlannedReport {
  private PlannedReport() {}

  static Intents of(Observation o, Proceed plan, KeyRequestThrottle.Limit limit) {
    List<Finding> findings = new ArrayList<>(plan.keyFindings());
    findings.addAll(plan.plannedFindings());
    findings.addAll(PolicyRules.judgeSettings(plan.spec(), o.profile(),
        plan.state().map(s -> s.current().createdAt()).orElse(null), o.now()));
    ConditionIntent compliance = compliance(findings);
    List<EventIntent> leading = new ArrayList<>();
    if (!plan.plannedFindings().isEmpty() || findings.stream().anyMatch(Finding::isViolation)) {
      Announcements.warnOnChange(o.old(), Conditions.POLICY_COMPLIANT, EventReasons.POLICY_VIOLATION, compliance.message())
          .ifPresent(leading::add);
    }
    List<ConditionIntent> overrides = new ArrayList<>();
    List<EventIntent> closing = new ArrayList<>();
    plan.throttledUntil().ifPresent(until -> throttled(o, limit, until, overrides, closing));
    if (!plan.specValid()) {
      String message = String.join("; ", o.resolved().problems());
      overrides.addAll(Planner.invalidConditions(message));
      Announcements.warnOnChange(o.old(), Conditions.READY, EventReasons.INVALID_SPEC, message).ifPresent(closing::add);
    }
    Set<String> violated = !plan.specValid() ? Set.of()
        : findings.stream().filter(Finding::isViolation).map(Finding::rule).collect(Collectors.toUnmodifiableSet());
    ReadyWait wait = plan.state().isEmpty() ? ReadyWait.NONE
        : Planner.rejected(plan.keyFindings()) ? ReadyWait.HELD : ReadyWait.WAITING;
    return new Intents(compliance, ready(o, plan), wait, List.copyOf(overrides), List.copyOf(leading), List.copyOf(closing),
        violated);
  }

  /** PolicyCompliant: the violations, or that every rule holds (with the warnings). */
  static ConditionIntent compliance(List<Finding> findings) {
    List<String> violations = findings.stream().filter(Finding::isViolation).map(Finding::toString).distinct().toList();
    List<String> warnings = findings.stream().filter(f -> !f.isViolation()).map(Finding::toString).distinct().toList();
    if (violations.isEmpty()) {
      return new ConditionIntent(Conditions.POLICY_COMPLIANT, true, Conditions.COMPLIANT, warnings.isEmpty()
          ? "every rule of the profile holds" : "every rule holds; warnings: " + String.join("; ", warnings));
    }
    return new ConditionIntent(Conditions.POLICY_COMPLIANT, false, Conditions.POLICY_VIOLATION, String.join("; ", violations));
  }

  /** Ready: no key (the planned one is rejected), the key the profile rejects, or the Secret that holds the key. */
  private static ConditionIntent ready(Observation o, Proceed plan) {
    if (plan.state().isEmpty()) {
      return new ConditionIntent(Conditions.READY, false, Conditions.POLICY_VIOLATION,
          "no key: the spec makes keys the profile rejects (" + Finding.violationsText(plan.plannedFindings()) + ")");
    }
    KeyState s = plan.state().get();
    if (Planner.rejected(plan.keyFindings())) {
      return new ConditionIntent(Conditions.READY, false, Conditions.POLICY_VIOLATION,
          "the current key breaks the profile: " + Finding.violationsText(plan.keyFindings()));
    }
    // Restored stays until the key or the spec changes: the reconcile that the takeover's own write
    // triggers must not hide it at once.
    boolean stillRestored = o.restoring() || o.restoredFromStore() || (s.current().id().equals(o.old().keyId)
        && Objects.equals(o.old().observedGeneration, o.resource().getMetadata().getGeneration())
        && Conditions.find(o.old().conditions, Conditions.READY).filter(c -> Conditions.RESTORED.equals(c.getReason())).isPresent());
    String reason = stillRestored ? Conditions.RESTORED
        : Reasons.ADOPTED.equals(s.reason()) && s.rotationCount() == 0 ? Conditions.ADOPTED : Conditions.SECRET_READY;
    return new ConditionIntent(Conditions.READY, true, reason, "Secret " + plan.spec().secretName() + " holds key "
        + s.current().id()
        + (JwksConfigMap.needed(s) ? "; public keys in ConfigMap " + JwksConfigMap.nameFor(plan.spec().secretName()) : ""));
  }

  /** Ready says until when the throttle holds; its Warning goes once, when Ready first says so. */
  private static void throttled(Observation o, KeyRequestThrottle.Limit limit, Instant until, List<ConditionIntent> overrides,
      List<EventIntent> closing) {
    String message = KeyRequestThrottle.message(limit, until, o.now());
    overrides.add(new ConditionIntent(Conditions.READY, false, Conditions.KEY_REQUEST_THROTTLED, message));
    boolean told = Conditions.find(o.old().conditions, Conditions.READY)
        .map(c -> Conditions.KEY_REQUEST_THROTTLED.equals(c.getReason())).orElse(false);
    if (!told) {
      closing.add(EventIntent.warning(EventReasons.KEY_REQUEST_THROTTLED, message));
    }
  }
}
