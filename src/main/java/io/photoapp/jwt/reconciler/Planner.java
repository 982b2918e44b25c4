package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.policy.DuplicateKeys;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.PolicyRules;
import io.photoapp.jwt.reconciler.Plan.Blocked;
import io.photoapp.jwt.reconciler.Plan.Cause;
import io.photoapp.jwt.reconciler.Plan.ConditionIntent;
import io.photoapp.jwt.reconciler.Plan.Proceed;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.restart.RestartTargets;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.RotationInput;
import io.photoapp.jwt.rotation.RotationPlanner;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.secret.Ownership;
import io.photoapp.jwt.secret.OwnershipVerdict;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides a reconcile from its {@link Observation}: blocked, or the writes to make. Pure but for the key
 * source ({@link KeyActions}), which makes a key only when the decision says so.
 */
final class Planner {
  /** How soon a reconcile that found the asymmetric key generator busy looks again. */
  static final Duration GENERATOR_RETRY = Duration.ofSeconds(1);

  private final KeyActions keys;
  private volatile KeyRequestThrottle.Limit keyRequests;

  Planner(KeyActions keys, KeyRequestThrottle.Limit keyRequests) {
    this.keys = keys;
    this.keyRequests = keyRequests;
  }

  void limitKeyRequests(KeyRequestThrottle.Limit limit) {
    this.keyRequests = limit;
  }

  Plan plan(Observation o) {
    Optional<Cause> blocking = blockedBy(o);
    if (blocking.isPresent()) {
      return blocked(o, blocking.get());
    }
    try {
      return proceed(o);
    } catch (KeyActions.GeneratorBusy e) {
      // Nothing is written: the same decision is taken again once the generator is free.
      return new Blocked(Cause.GENERATOR_BUSY, List.of(), inOrder(observed(o), externalChange(o)), Optional.of(GENERATOR_RETRY));
    }
  }

  /**
   * The first observed fact that blocks a reconcile, in the contract's order: an invalid spec, changed
   * Secret settings, a Secret it may not write, a restore still pending, a ConfigMap it may not write.
   * The {@link Observer} asks it too, to stop reading where the reads left would cost requests.
   */
  static Optional<Cause> blockedBy(Observation o) {
    if (o.resolved().spec() == null) {
      return Optional.of(Cause.INVALID_SPEC);
    }
    if (o.immutability().isPresent()) {
      return Optional.of(Cause.SECRET_SPEC_IMMUTABLE);
    }
    if (o.secretVerdict() != null && !o.secretVerdict().writable()) {
      return Optional.of(refusal(o.secretVerdict()));
    }
    if (o.fromStore() != null && o.fromStore().waiting()) {
      return Optional.of(Cause.RESTORE_PENDING);
    }
    if (o.configMapVerdict() != null && !o.configMapVerdict().writable()) {
      return Optional.of(refusal(o.configMapVerdict()));
    }
    return Optional.empty();
  }

  private static Cause refusal(OwnershipVerdict verdict) {
    return verdict.standing() == OwnershipVerdict.Standing.REFUSED ? Cause.ADOPTION_REFUSED : Cause.CONFLICT;
  }

  private static Blocked blocked(Observation o, Cause cause) {
    return switch (cause) {
      case INVALID_SPEC -> invalidSpec(o);
      case SECRET_SPEC_IMMUTABLE -> blocked(o, cause, Conditions.SECRET_SPEC_IMMUTABLE, EventReasons.SECRET_SPEC_IMMUTABLE,
          o.immutability().get(), Optional.empty());
      case RESTORE_PENDING -> blocked(o, cause, Conditions.RESTORE_PENDING, EventReasons.RESTORE_PENDING,
          o.fromStore().pending().get(), o.fromStore().recheckAfter());
      case CONFLICT, ADOPTION_REFUSED -> refused(o, o.secretVerdict() != null && !o.secretVerdict().writable()
          ? o.secretVerdict() : o.configMapVerdict());
      case GENERATOR_BUSY -> throw new IllegalArgumentException("not an observed fact: " + cause);
    };
  }

  private static Blocked invalidSpec(Observation o) {
    String message = String.join("; ", o.resolved().problems());
    return new Blocked(Cause.INVALID_SPEC, invalidConditions(message),
        Announcements.warnOnChange(o.old(), Conditions.READY, EventReasons.INVALID_SPEC, message).stream().toList(),
        Optional.empty());
  }

  static List<ConditionIntent> invalidConditions(String message) {
    return List.of(new ConditionIntent(Conditions.READY, false, Conditions.INVALID_SPEC, message),
        new ConditionIntent(Conditions.POLICY_COMPLIANT, false, Conditions.INVALID_SPEC, message));
  }

  private static Blocked refused(Observation o, OwnershipVerdict verdict) {
    Cause cause = refusal(verdict);
    String reason = cause == Cause.ADOPTION_REFUSED ? Conditions.ADOPTION_REFUSED : Conditions.SECRET_CONFLICT;
    return blocked(o, cause, reason, reason, verdict.message(), Optional.empty());
  }

  private static Blocked blocked(Observation o, Cause cause, String reason, String eventReason, String message,
      Optional<Duration> recheck) {
    return new Blocked(cause, List.of(new ConditionIntent(Conditions.READY, false, reason, message)),
        inOrder(observed(o), Announcements.warnOnChange(o.old(), Conditions.READY, eventReason, message).stream().toList()), recheck);
  }

  /**
   * What observing found worth telling (a restore that timed out, restored keys the profile refused):
   * told first. When a create then meets a Secret someone made first, these go with that observation:
   * the key they announce was not made.
   */
  private static List<EventIntent> observed(Observation o) {
    return o.fromStore() == null ? List.of() : o.fromStore().events();
  }

  private static List<EventIntent> inOrder(List<EventIntent> first, List<EventIntent> then) {
    List<EventIntent> events = new ArrayList<>(first);
    events.addAll(then);
    return List.copyOf(events);
  }

  private static List<EventIntent> externalChange(Observation o) {
    if (o.read().externalChanges().isEmpty() || o.adopting()) {
      return List.of();
    }
    return List.of(EventIntent.warning(EventReasons.EXTERNAL_CHANGE, "Secret " + o.resolved().spec().secretName()
        + " was changed outside the operator: " + String.join("; ", o.read().externalChanges())));
  }

  /** The decision, and the writes it makes: the Secret (with the key action's new state), the ConfigMap, the targets. */
  private Proceed proceed(Observation o) {
    EffectiveSpec spec = o.resolved().spec();
    Optional<KeyState> state = o.state();
    List<Finding> keyFindings = state.map(s -> judgeKeys(o, s)).orElse(List.of());
    List<Finding> plannedFindings = PolicyRules.judgePlannedKey(spec, o.profile());
    RolloutAssessment rollout = state.map(s -> assess(o, s)).orElse(null);
    RotationDecision decision = RotationPlanner.decide(new RotationInput(spec, state, o.adopting(),
        o.old().keyId != null && o.secret() == null, rejected(keyFindings), plannedFindings.isEmpty(),
        rollout != null && rollout.complete(), o.now(), o.resolved().valid()));
    // At most 3 new keys within 10 minutes: a further request waits, whatever asks for it.
    Optional<Instant> throttledUntil = decision.writesSecret() && KeyRequestThrottle.makesKey(decision, state)
        ? KeyRequestThrottle.waitUntil(keyRequests, o.recordedKeys(), o.now()) : Optional.empty();
    if (throttledUntil.isPresent()) {
      decision = new RotationDecision(Action.HOLD, "", Optional.of(Duration.between(o.now(), throttledUntil.get())),
          "the key request throttle");
    }
    List<EventIntent> events = new ArrayList<>(inOrder(observed(o), externalChange(o)));
    if (!writesSecret(o, decision, state)) {
      return told(o, new Proceed(spec, o.resolved().valid(), decision, throttledUntil, state, state, null, null,
          desiredConfigMap(o, state), rollout, state.isPresent() && !rejected(keyFindings), keyFindings, plannedFindings,
          events, List.of(), null));
    }
    KeyState after = keys.apply(decision, state, spec, o.old().rotationCount == null ? 0 : o.old().rotationCount, o.now());
    List<Instant> recentKeys = new ArrayList<>(o.recordedKeys());
    recentKeys.addAll(KeyRequestThrottle.creationTimes(Optional.of(after)));
    Secret desired = SecretCodec.render(o.secret(), after, spec, o.resource(), spec.tokenLifetimeMinutes());
    String recent = KeyRequestThrottle.format(keyRequests, recentKeys, o.now());
    if (!recent.isEmpty()) {
      desired.getMetadata().getAnnotations().put(Labels.RECENT_KEYS, recent);
    }
    events.addAll(written(o, decision, state, after, keyFindings));
    List<Finding> afterFindings = judgeKeys(o, after);
    return told(o, new Proceed(spec, o.resolved().valid(), decision, throttledUntil, state, Optional.of(after), desired,
        KeyRequestThrottle.recent(keyRequests, recentKeys, o.now()), desiredConfigMap(o, Optional.of(after)),
        assess(o, after), !rejected(afterFindings), afterFindings, plannedFindings, events, Announcements.rotations(decision),
        null));
  }

  /** The plan with what its report says before any write (conditions, Events, violated rules). */
  private Proceed told(Observation o, Proceed plan) {
    return plan.withIntents(PlannedReport.of(o, plan, keyRequests));
  }

  /** Whether the Secret is written: a key decision, changes made outside the operator, stale settings, a takeover. */
  private static boolean writesSecret(Observation o, RotationDecision decision, Optional<KeyState> state) {
    // A changed token lifetime or deletionPolicy changes no key, so no key decision writes it.
    boolean settingsStale = o.secret() != null && state.isPresent() && !o.adopting()
        && !SecretCodec.settingsFollowSpec(o.secret(), o.resolved().spec(), o.resource());
    return decision.writesSecret() || (!o.read().externalChanges().isEmpty() && state.isPresent()) || settingsStale
        || (o.restoring() && state.isPresent()) || o.restoredFromStore();
  }

  /** The Events of the Secret's write: a takeover, a restore from a store, the key action, a rejected key replaced. */
  private static List<EventIntent> written(Observation o, RotationDecision decision, Optional<KeyState> before, KeyState after,
      List<Finding> keyFindings) {
    String secretName = o.resolved().spec().secretName();
    List<EventIntent> events = new ArrayList<>();
    if (o.restoring()) {
      events.add(EventIntent.normal(EventReasons.RESTORED, "Took over Secret " + secretName
          + ", which named this JwtSecret with a uid that no longer exists (a restore): key " + after.current().id()
          + " kept in phase " + after.phase() + ", no rotation"));
    }
    if (o.restoredFromStore()) {
      events.add(EventIntent.normal(EventReasons.RESTORED, "Restored key set " + before.get().keySet() + " from "
          + o.fromStore().storeId() + " into Secret " + secretName + ": no new key"));
    }
    events.addAll(Announcements.keyAction(decision, before.orElse(null), after, o.resolved().spec()));
    if (decision.action() == Action.EMERGENCY && Reasons.POLICY_VIOLATION.equals(decision.reason())) {
      // The rejected key leaves with this write, and its findings with it: say which rule it broke.
      events.add(EventIntent.warning(EventReasons.POLICY_VIOLATION, "the key in Secret " + secretName
          + " was replaced because it breaks the profile: "
          + Finding.violationsText(keyFindings.stream().filter(Finding::aboutKey).toList())));
    }
    return events;
  }

  /** The public keys' ConfigMap to write: right after the Secret, verifiers know a key before any pod signs with it. */
  private static ConfigMap desiredConfigMap(Observation o, Optional<KeyState> state) {
    if (state.isEmpty() || (o.configMap() == null && !JwksConfigMap.needed(state.get()))) {
      return null;
    }
    return JwksConfigMap.render(o.configMap(), state.get(), o.resolved().spec(), o.resource());
  }

  private static RolloutAssessment assess(Observation o, KeyState state) {
    return RestartTargets.assess(o.targets(), o.resource(), o.resolved().spec(), state, RestartTargets.recordedGenerations(o.old()));
  }

  /** The profile's rules about the key, and whether another JwtSecret held it first. */
  static List<Finding> judgeKeys(Observation o, KeyState state) {
    List<Finding> findings = new ArrayList<>(PolicyRules.judgeKey(state.current().value().reveal(),
        state.current().algorithm(), o.profile()));
    JwtSecret resource = o.resource();
    DuplicateKeys.Holder me = new DuplicateKeys.Holder(Ownership.ownerKey(resource), state.current().id(),
        state.current().createdAt());
    if (DuplicateKeys.isLaterHolder(me, o.otherHolders().getOrDefault(state.current().id(), List.of()))) {
      findings.add(PolicyRules.duplicateKey());
    }
    return findings;
  }

  static boolean rejected(List<Finding> keyFindings) {
    return keyFindings.stream().anyMatch(f -> f.isViolation() && f.aboutKey());
  }
}
