package io.photoapp.jwt.rotation;

import io.photoapp.jwt.api.RotationStrategy;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides what a reconcile does to the keys: a pure function of (spec, Secret state, rollout, now).
 * Requests are times, so a decision is satisfied by the key creation times in the Secret and can be
 * taken again after a crash, a conflict or a leader change without rotating twice.
 */
public final class RotationPlanner {
  private RotationPlanner() {}

  public static RotationDecision decide(RotationInput in) {
    EffectiveSpec spec = in.spec();
    Instant now = in.now();
    if (in.state().isEmpty()) {
      if (!in.plannedAllowed()) {
        return new RotationDecision(Action.HOLD, "", Optional.empty(), "a valid spec (see Ready)");
      }
      if (!in.canGenerate()) {
        return new RotationDecision(Action.HOLD, "", Optional.empty(), "a key the profile accepts (see PolicyCompliant)");
      }
      return RotationDecision.act(Action.CREATE, in.hadKeyBefore() ? Reasons.SECRET_DELETED : Reasons.CREATED);
    }
    KeyState state = in.state().get();

    Optional<String> emergency = emergencyReason(in, state);
    if (emergency.isPresent()) {
      if (!in.canGenerate()) {
        return new RotationDecision(Action.HOLD, "", Optional.empty(),
            "an emergency rotation, blocked until the spec makes keys the profile accepts");
      }
      return RotationDecision.act(Action.EMERGENCY, emergency.get());
    }
    if (in.adopting()) {
      return in.plannedAllowed() ? RotationDecision.act(Action.ADOPT, Reasons.ADOPTED)
          : new RotationDecision(Action.HOLD, "", Optional.empty(), "a valid spec (see Ready)");
    }

    return switch (state.phase()) {
      case Publishing, AwaitingApproval -> published(in, state);
      case Switching -> in.rolloutComplete()
          ? RotationDecision.act(Action.MARK_RETIRING, state.reason())
          : RotationDecision.waitFor("the switch rollout", until(now, state.rotatedAt().plus(spec.rolloutTimeout())));
      case Retiring -> {
        Instant expires = state.previousExpiresAt().orElse(now);
        yield now.isBefore(expires)
            ? RotationDecision.waitFor("the previous key's grace period", until(now, expires))
            : RotationDecision.act(Action.RETIRE, state.reason());
      }
      case Idle -> idle(in, state);
    };
  }

  /** A next key is published: the switch waits for the publish rollout, the propagation delay, approval and a window. */
  private static RotationDecision published(RotationInput in, KeyState state) {
    EffectiveSpec spec = in.spec();
    Instant now = in.now();
    Instant publishedAt = state.next().map(StoredKey::createdAt).orElse(state.rotatedAt());
    Instant switchAt = publishedAt.plus(spec.propagationDelay());
    if (!in.rolloutComplete()) {
      return RotationDecision.waitFor("the publish rollout", until(now, publishedAt.plus(spec.rolloutTimeout())));
    }
    if (now.isBefore(switchAt)) {
      return RotationDecision.waitFor("the propagation delay", until(now, switchAt));
    }
    if (spec.manualApproval() && !approved(spec, state)) {
      String nextId = state.next().map(StoredKey::id).orElse("");
      return RotationDecision.gated(RotationDecision.Gate.APPROVAL, "approval of the switch to key " + nextId
          + " (annotate the JwtSecret " + io.photoapp.jwt.api.Labels.APPROVE_SWITCH + "=" + nextId
          + ", or run rotate --approve)", Optional.empty());
    }
    Optional<RotationDecision> window = windowClosed(spec, now, "the switch");
    if (window.isPresent()) {
      return window.get();
    }
    // The reason is derived again, not stored: a pending request still names itself.
    return RotationDecision.act(Action.SWITCH, manualRequested(spec, state, now) ? Reasons.MANUAL : Reasons.SCHEDULED);
  }

  private static RotationDecision idle(RotationInput in, KeyState state) {
    EffectiveSpec spec = in.spec();
    Instant now = in.now();
    String reason = null;
    if (manualRequested(spec, state, now)) {
      reason = Reasons.MANUAL;
    } else if (!spec.paused() && nextDue(spec, state).map(due -> !now.isBefore(due)).orElse(false)) {
      reason = Reasons.SCHEDULED;
    }
    if (reason != null) {
      if (!in.plannedAllowed()) {
        return new RotationDecision(Action.HOLD, "", Optional.empty(), "a rotation, blocked until the spec is valid");
      }
      if (!in.canGenerate()) {
        return new RotationDecision(Action.HOLD, "", Optional.empty(),
            "a rotation, blocked until the spec makes keys the profile accepts");
      }
      Optional<RotationDecision> window = windowClosed(spec, now, "the " + reason.toLowerCase(java.util.Locale.ROOT)
          + " rotation");
      if (window.isPresent()) {
        return window.get();
      }
      // Manual approval needs a published next key to approve, whatever the strategy.
      boolean publish = spec.strategy() == RotationStrategy.Staged || spec.manualApproval();
      return RotationDecision.act(publish ? Action.PUBLISH : Action.SWITCH, reason);
    }
    Optional<Instant> nextMoment = Stream.concat(
            Stream.concat(spec.rotateAfter().stream(), spec.invalidateBefore().stream()).filter(now::isBefore),
            spec.paused() ? Stream.empty() : nextDue(spec, state).stream())
        .min(Instant::compareTo);
    return RotationDecision.waitFor("", nextMoment.flatMap(t -> until(now, t)));
  }

  /** The annotation approves this rotation's switch: it names the next key, so an old approval approves nothing later. */
  private static boolean approved(EffectiveSpec spec, KeyState state) {
    return spec.approvedSwitch() != null && state.next().map(k -> k.id().equals(spec.approvedSwitch())).orElse(false);
  }

  /** A planned stage outside every rotation window waits for the next to open. */
  private static Optional<RotationDecision> windowClosed(EffectiveSpec spec, Instant now, String stage) {
    if (spec.windows().isOpen(now)) {
      return Optional.empty();
    }
    Optional<Instant> opens = spec.windows().nextOpening(now);
    return Optional.of(RotationDecision.gated(RotationDecision.Gate.WINDOW, stage + " in the next rotation window"
        + opens.map(t -> ", which opens at " + t).orElse(""), opens.flatMap(t -> until(now, t))));
  }

  /** A rotateAfter request that has come due and that the current key does not yet satisfy. */
  private static boolean manualRequested(EffectiveSpec spec, KeyState state, Instant now) {
    Instant created = state.current().createdAt();
    return spec.rotateAfter().stream().anyMatch(t -> !now.isBefore(t) && created.isBefore(t));
  }

  /** An emergency: a requested invalidation of keys older than a time, or a key the profile rejects. */
  private static Optional<String> emergencyReason(RotationInput in, KeyState state) {
    Instant now = in.now();
    for (Instant t : in.spec().invalidateBefore()) {
      if (!now.isBefore(t) && state.keys().stream().anyMatch(k -> k.createdAt().isBefore(t))) {
        return Optional.of(Reasons.EMERGENCY);
      }
    }
    return in.keyRejected() ? Optional.of(Reasons.POLICY_VIOLATION) : Optional.empty();
  }

  /**
   * What holds the rotation once a reconcile's own writes are done, given the input as they left it:
   * status says it in the same patch. A further write due at once is not made in the same reconcile;
   * the decision then asks to look again at once.
   */
  public static RotationDecision afterActing(RotationInput in) {
    RotationDecision next = decide(in);
    return next.writesSecret() ? RotationDecision.waitFor(next.waitingFor(), Optional.of(Duration.ZERO)) : next;
  }

  /** When the schedule next asks for a rotation: derived from the current key's creation time. */
  public static Optional<Instant> nextDue(EffectiveSpec spec, KeyState state) {
    return spec.schedule().nextAfter(state.current().createdAt());
  }

  /** Time until a future moment; empty once it has passed (workload events wake the reconcile then). */
  private static Optional<Duration> until(Instant now, Instant then) {
    Duration d = Duration.between(now, then);
    return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
  }
}
