package io.photoapp.jwt.rotation;

import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.RotationStrategy;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the next rotation would do, stage by stage, from the same {@link RotationPlanner} the operator
 * runs: a pure function of (spec, key facts, rollout, now). Key facts are ids and times only, so the
 * plan can be made from a JwtSecret's status without reading its Secret.
 *
 * @param decision what the operator would do now: an action, or what holds it
 * @param nextRotation when the next planned rotation is due, and why (schedule or request)
 * @param stages the rotation in progress, or the one that would start at its due time, each stage with its earliest time
 * @param holds what would hold it: paused, windows, approval
 */
public record RotationPlan(String decision, String nextRotation, List<Stage> stages, List<String> holds) {

  /** One stage: its name, the earliest moment it can start, and what else it waits for. */
  public record Stage(String name, String earliest, String waitsFor) {}

  /** A key known by id and creation time only: its value stays in the Secret. */
  public static StoredKey known(String id, Instant createdAt, io.photoapp.jwt.api.Algorithm algorithm) {
    return new StoredKey(KeyValue.of("unread"), id, algorithm, createdAt);
  }

  public static RotationPlan of(RotationInput in) {
    RotationDecision now = RotationPlanner.decide(in);
    EffectiveSpec spec = in.spec();
    String decision = now.writesSecret() ? now.action() + " (" + now.reason() + ")"
        : now.action() == Action.HOLD ? "HOLD: waiting for " + now.waitingFor()
        : now.waitingFor().isEmpty() ? "nothing until the next rotation" : "waiting for " + now.waitingFor();
    List<String> holds = new ArrayList<>();
    if (spec.paused()) {
      holds.add("paused: no scheduled rotation (requests still work)");
    }
    if (spec.windows().restricted()) {
      holds.add("windows: planned stages start only within " + spec.windows()
          + spec.windows().nextOpening(in.now()).map(t -> spec.windows().isOpen(in.now()) ? "; a window is open now"
              : "; the next opens at " + t).orElse(""));
    }
    if (spec.manualApproval()) {
      holds.add("approval: Manual: the switch waits for jwt.photoapp.io/approve-switch=<next key id> (rotate --approve)");
    }
    if (now.gate() == RotationDecision.Gate.APPROVAL || now.gate() == RotationDecision.Gate.WINDOW) {
      holds.add("now: " + now.waitingFor());
    }
    if (!in.plannedAllowed()) {
      holds.add("the spec is invalid: no planned rotation starts (see Ready)");
    }
    if (in.state().isEmpty()) {
      return new RotationPlan(decision, "-", List.of(), holds);
    }
    KeyState state = in.state().get();
    Optional<Instant> due = spec.paused() ? Optional.empty() : RotationPlanner.nextDue(spec, state);
    Optional<Instant> requested = spec.rotateAfter().stream().filter(t -> state.current().createdAt().isBefore(t))
        .min(Instant::compareTo);
    String next;
    Instant start;
    if (requested.isPresent() && (due.isEmpty() || !requested.get().isAfter(due.get()))) {
      start = requested.get();
      next = start + " (Manual: rotateAfter)";
    } else if (due.isPresent()) {
      start = due.get();
      next = start + " (Scheduled: " + spec.schedule() + ")";
    } else {
      start = null;
      next = "none (paused)";
    }
    List<Stage> stages = state.phase() == Phase.Idle ? fromIdle(spec, start, in.now()) : inProgress(spec, state, in.now());
    return new RotationPlan(decision, next, stages, holds);
  }

  /**
   * The remaining stages of the rotation in progress, with their earliest times as planned when its
   * current stage began (the publish write, the switch write, the grace's end): stable from one
   * reconcile to the next, so status does not change with the clock. Empty when Idle.
   */
  public static List<Stage> remaining(EffectiveSpec spec, KeyState state) {
    Instant began = switch (state.phase()) {
      case Publishing, AwaitingApproval -> state.next().map(StoredKey::createdAt).orElse(state.rotatedAt());
      case Retiring -> state.previousExpiresAt().orElse(state.rotatedAt());
      case Switching, Idle -> state.rotatedAt();
    };
    return inProgress(spec, state, began);
  }

  private static List<Stage> fromIdle(EffectiveSpec spec, Instant due, Instant now) {
    if (due == null) {
      return List.of();
    }
    Instant publishAt = windowed(spec, max(due, now));
    List<Stage> stages = new ArrayList<>();
    boolean publish = spec.strategy() == RotationStrategy.Staged || spec.manualApproval();
    Instant switchAt = publishAt;
    if (publish) {
      stages.add(new Stage("publish", publishAt.toString(), "the next key goes into the Secret, verify-only; targets roll"));
      switchAt = windowed(spec, publishAt.plus(spec.propagationDelay()));
      stages.add(new Stage("switch", switchAt.toString(), "the publish rollout, propagationDelay "
          + io.photoapp.jwt.spec.Durations.format(spec.propagationDelay())
          + (spec.manualApproval() ? ", and approval" : "") + "; targets roll"));
    } else {
      stages.add(new Stage("switch", switchAt.toString(), "Direct: no publish stage; targets roll"));
    }
    Instant retireAt = switchAt.plus(spec.effectiveGrace());
    stages.add(new Stage("grace end", retireAt.toString(), "the switch rollout, then max(gracePeriod, token lifetime) "
        + io.photoapp.jwt.spec.Durations.format(spec.effectiveGrace())));
    stages.add(new Stage("retire", retireAt.toString(), "the previous key leaves the Secret; targets roll"));
    return stages;
  }

  private static List<Stage> inProgress(EffectiveSpec spec, KeyState state, Instant now) {
    List<Stage> stages = new ArrayList<>();
    switch (state.phase()) {
      case Publishing, AwaitingApproval -> {
        Instant publishedAt = state.next().map(StoredKey::createdAt).orElse(state.rotatedAt());
        Instant switchAt = windowed(spec, max(publishedAt.plus(spec.propagationDelay()), now));
        stages.add(new Stage("switch", switchAt.toString(), "the publish rollout"
            + (spec.manualApproval() ? ", and approval of key " + state.next().map(StoredKey::id).orElse("?") : "")));
        Instant retireAt = switchAt.plus(spec.effectiveGrace());
        stages.add(new Stage("grace end", retireAt.toString(), "the switch rollout, then "
            + io.photoapp.jwt.spec.Durations.format(spec.effectiveGrace())));
        stages.add(new Stage("retire", retireAt.toString(), "the previous key leaves the Secret"));
      }
      case Switching -> {
        Instant retireAt = max(state.rotatedAt(), now).plus(spec.effectiveGrace());
        stages.add(new Stage("grace end", retireAt.toString(), "the switch rollout, then "
            + io.photoapp.jwt.spec.Durations.format(spec.effectiveGrace())));
        stages.add(new Stage("retire", retireAt.toString(), "the previous key leaves the Secret"));
      }
      case Retiring -> stages.add(new Stage("retire", state.previousExpiresAt().map(Instant::toString).orElse(now.toString()),
          "the previous key leaves the Secret"));
      case Idle -> { }
    }
    return stages;
  }

  /** The earliest moment at or after {@code t} at which a planned stage may start. */
  private static Instant windowed(EffectiveSpec spec, Instant t) {
    return spec.windows().isOpen(t) ? t : spec.windows().nextOpening(t).orElse(t);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
