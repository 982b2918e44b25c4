package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.push.KeyPush;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the next status from the old one: derived from the Secret's state, never from key values. */
final class StatusDraft {
  private final JwtSecretStatus old;
  private final JwtSecretStatus next = new JwtSecretStatus();
  private final Long generation;
  private final Instant now;

  StatusDraft(JwtSecretStatus old, Long generation, Instant now) {
    this.old = old;
    this.generation = generation;
    this.now = now;
    // Without a fresh reading, the key facts stay as last reported.
    next.phase = old.phase;
    next.keyId = old.keyId;
    next.keyCreatedAt = old.keyCreatedAt;
    next.nextKeyId = old.nextKeyId;
    next.nextKeyCreatedAt = old.nextKeyCreatedAt;
    next.nextStages = old.nextStages;
    next.previousKeyId = old.previousKeyId;
    next.previousKeyExpiresAt = old.previousKeyExpiresAt;
    next.lastRotationTime = old.lastRotationTime;
    next.lastRotationReason = old.lastRotationReason;
    next.nextRotationTime = old.nextRotationTime;
    next.rotationCount = old.rotationCount;
    next.workloads = old.workloads;
    next.push = old.push;
    next.conditions = old.conditions == null ? new ArrayList<>() : new ArrayList<>(old.conditions);
    next.observedGeneration = generation;
  }

  void keys(KeyState state, Instant nextRotation) {
    next.phase = state.phase();
    next.keyId = state.current().id();
    next.keyCreatedAt = state.current().createdAt().toString();
    next.nextKeyId = state.next().map(StoredKey::id).orElse(null);
    next.nextKeyCreatedAt = state.next().map(k -> k.createdAt().toString()).orElse(null);
    next.previousKeyId = state.previous().map(StoredKey::id).orElse(null);
    next.previousKeyExpiresAt = state.previousExpiresAt().map(Instant::toString).orElse(null);
    next.lastRotationTime = state.rotatedAt().toString();
    next.lastRotationReason = state.reason();
    next.nextRotationTime = nextRotation == null ? null : nextRotation.toString();
    next.rotationCount = state.rotationCount();
  }

  /**
   * A due planned stage held by approval or a window: status.phase AwaitingApproval for the first, and
   * Ready's reason names the gate (its message already says what it waits for).
   */
  void gate(io.photoapp.jwt.rotation.RotationDecision decision) {
    if (decision.awaitingApproval()) {
      next.phase = Phase.AwaitingApproval;
    }
    String reason = switch (decision.gate()) {
      case APPROVAL -> Conditions.AWAITING_APPROVAL;
      case WINDOW -> Conditions.AWAITING_WINDOW;
      case NONE -> null;
    };
    Optional<Condition> ready = condition(Conditions.READY);
    if (reason != null && ready.isPresent() && Conditions.TRUE.equals(ready.get().getStatus())) {
      ready(true, reason, ready.get().getMessage());
    }
  }

  /** The remaining stages of the rotation in progress (none when Idle). */
  void nextStages(List<io.photoapp.jwt.rotation.RotationPlan.Stage> stages) {
    next.nextStages = stages.isEmpty() ? null
        : stages.stream().map(s -> new io.photoapp.jwt.api.StageStatus(s.name(), s.earliest())).toList();
  }

  /** The phase as drafted. */
  Phase phase() {
    return next.phase;
  }

  void condition(Plan.ConditionIntent c) {
    set(c.type(), c.status(), c.reason(), c.message());
  }

  void ready(boolean status, String reason, String message) {
    set(Conditions.READY, status, reason, message);
  }

  void compliant(boolean status, String reason, String message) {
    set(Conditions.POLICY_COMPLIANT, status, reason, message);
  }

  void policy(List<Finding> findings) {
    condition(PlannedReport.compliance(findings));
  }

  void rollout(RolloutAssessment rollout, EffectiveSpec spec, KeyState state, Instant now) {
    next.workloads = rollout.workloads().isEmpty() ? null : rollout.workloads();
    if (spec.targets().isEmpty()) {
      set(Conditions.ROLLOUT_COMPLETE, true, Conditions.NO_TARGETS, "no restart targets");
      return;
    }
    List<String> notes = new ArrayList<>();
    rollout.missing().forEach(m -> notes.add("target not found: " + m));
    rollout.notOptedIn().forEach(m -> notes.add("target lacks the label jwt.photoapp.io/restartable=true: " + m));
    if (spec.strategy() == io.photoapp.jwt.api.RotationStrategy.Staged) {
      String read = io.photoapp.jwt.secret.JwksConfigMap.needed(state)
          ? spec.nextDataKey() + ", jwks-secret.json nor ConfigMap " + io.photoapp.jwt.secret.JwksConfigMap.nameFor(spec.secretName())
          : spec.nextDataKey() + " nor jwks-secret.json";
      rollout.cannotBenefit().forEach(m -> notes.add(m + " reads neither " + read + ", so it cannot benefit from the publish stage"));
    }
    String suffix = notes.isEmpty() ? "" : "; " + String.join("; ", notes);
    if (!rollout.queued().isEmpty()) {
      // Not yet rolling, so not late either: the stage's timeout does not apply to a wait in the queue.
      set(Conditions.ROLLOUT_COMPLETE, false, Conditions.ROLLOUT_QUEUED, "queued: the operator rolls at most "
          + "--max-concurrent-rollouts workloads at once (emergencies first, then the namespaces holding fewest, then by due time): "
          + String.join(", ", rollout.queued()) + suffix);
    } else if (!rollout.coalescing().isEmpty()) {
      // Not yet rolling either: one rollout for the JwtSecrets that share the workload, within spec.restart.coalesce.
      set(Conditions.ROLLOUT_COMPLETE, false, Conditions.ROLLOUT_COALESCING, "coalescing: waiting at most "
          + io.photoapp.jwt.spec.Durations.format(spec.coalesce()) + " for the other JwtSecrets due to roll "
          + String.join(", ", rollout.coalescing()) + ", to roll it once" + suffix);
    } else if (!rollout.unsupported().isEmpty() && !rollout.complete()) {
      set(Conditions.ROLLOUT_COMPLETE, false, Conditions.UNSUPPORTED_UPDATE_STRATEGY,
          String.join("; ", rollout.unsupported()) + "; the rotation holds at " + state.phase() + suffix);
    } else if (!rollout.complete()) {
      Optional<Instant> started = stageStart(state);
      boolean late = started.map(t -> Duration.between(t, now).compareTo(spec.rolloutTimeout()) > 0).orElse(false);
      if (late) {
        // Written once, when the rollout times out: how far each target got is what on-call needs.
        String progress = rollout.progress().isEmpty() ? "rolling out" : String.join("; ", rollout.progress());
        set(Conditions.ROLLOUT_COMPLETE, false, Conditions.ROLLOUT_TIMEOUT, "rollout at " + state.phase()
            + " exceeded " + io.photoapp.jwt.spec.Durations.format(spec.rolloutTimeout()) + " and holds: " + progress + suffix);
      } else {
        // Stable while the pods roll: progress alone writes no status (kubectl rollout status shows it).
        String waiting = rollout.waiting().isEmpty() ? "rolling out"
            : "rolling out key set " + state.keySet() + " to " + String.join(", ", rollout.waiting());
        set(Conditions.ROLLOUT_COMPLETE, false, Conditions.ROLLOUT_IN_PROGRESS, waiting + suffix);
      }
    } else if (!rollout.notOptedIn().isEmpty()) {
      set(Conditions.ROLLOUT_COMPLETE, false, Conditions.TARGET_NOT_OPTED_IN, String.join("; ", notes));
    } else if (!rollout.missing().isEmpty()) {
      set(Conditions.ROLLOUT_COMPLETE, false, Conditions.TARGET_NOT_FOUND, String.join("; ", notes));
    } else {
      set(Conditions.ROLLOUT_COMPLETE, true, Conditions.ROLLED_OUT, "every target runs key set " + state.keySet() + suffix);
    }
  }

  /** When the stage that holds the rotation began; empty for stages that do not hold it. */
  private static Optional<Instant> stageStart(KeyState state) {
    if (state.phase() == Phase.Publishing) {
      return state.next().map(StoredKey::createdAt);
    }
    if (state.phase() == Phase.Switching) {
      return Optional.of(state.rotatedAt());
    }
    return Optional.empty();
  }

  /** The external stores of spec.push: their entries and the Pushed condition, or neither. */
  void push(KeyPush.Report report) {
    next.push = report.entries();
    next.conditions.removeIf(c -> KeyPush.CONDITION.equals(c.getType()));
    report.condition().ifPresent(v -> set(KeyPush.CONDITION, v.status(), v.reason(), v.message()));
  }

  Optional<Condition> condition(String type) {
    return Conditions.find(next.conditions, type);
  }

  JwtSecretStatus build() {
    return next;
  }

  private void set(String type, boolean status, String reason, String message) {
    next.conditions = Conditions.set(next.conditions, type, status, reason, message, generation, now, old.conditions);
  }
}
