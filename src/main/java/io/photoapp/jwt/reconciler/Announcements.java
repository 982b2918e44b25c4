package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What a reconcile tells people, decided without sending it: the Events of a key action and of rollouts, and the rotations counted. */
final class Announcements {
  private Announcements() {}

  static List<EventIntent> keyAction(RotationDecision decision, KeyState before, KeyState after, EffectiveSpec spec) {
    return switch (decision.action()) {
      case CREATE -> List.of(EventIntent.normal(EventReasons.CREATED, "Created key " + after.current().id() + " in Secret "
          + spec.secretName() + (Reasons.SECRET_DELETED.equals(decision.reason()) ? " (the Secret had been deleted)" : "")));
      case ADOPT -> List.of(EventIntent.normal(EventReasons.ADOPTED, "Adopted Secret " + spec.secretName()
          + " with key " + after.current().id()));
      case PUBLISH -> List.of(EventIntent.normal(EventReasons.ROTATED, "Published next key " + after.next().get().id()
          + " (" + decision.reason() + "); switching once every target has rolled out"));
      case SWITCH -> List.of(EventIntent.normal(EventReasons.ROTATED, "Key " + after.current().id() + " replaced "
          + before.current().id() + " (" + decision.reason() + "); the previous key stays for its grace period"));
      case RETIRE -> List.of(EventIntent.normal(EventReasons.ROTATED, "Previous key "
          + before.previous().map(k -> k.id()).orElse("") + " retired after its grace period"));
      case EMERGENCY -> List.of(EventIntent.warning(EventReasons.EMERGENCY_ROTATION, "Replaced every key with " + after.current().id()
          + " (" + decision.reason() + "); every outstanding token stops verifying once the rollout completes"));
      default -> List.of();
    };
  }

  /** The reasons the rotations metric counts for a key action: a switch, an emergency, a Secret made anew. */
  static List<String> rotations(RotationDecision decision) {
    return switch (decision.action()) {
      case CREATE -> Reasons.SECRET_DELETED.equals(decision.reason()) ? List.of(decision.reason()) : List.of();
      case SWITCH, EMERGENCY -> List.of(decision.reason());
      default -> List.of();
    };
  }

  /** An Event when a rotation starts to wait for approval (an alert pages on the metric; people read this). */
  static Optional<EventIntent> awaitingApproval(JwtSecretStatus old, JwtSecretStatus next, String name) {
    if (next.phase != Phase.AwaitingApproval || old.phase == Phase.AwaitingApproval) {
      return Optional.empty();
    }
    return Optional.of(EventIntent.normal(EventReasons.AWAITING_APPROVAL, "Next key " + next.nextKeyId
        + " is published to every target; the switch waits for the annotation " + Labels.APPROVE_SWITCH + "="
        + next.nextKeyId + " (rotate --approve " + name + ")"));
  }

  /** The rollout's Event, when its condition reached an end or names a mistake. */
  static Optional<EventIntent> rollout(JwtSecretStatus old, Optional<Condition> after) {
    Optional<Condition> before = Conditions.find(old.conditions, Conditions.ROLLOUT_COMPLETE);
    if (after.isEmpty()) {
      return Optional.empty();
    }
    String reasonBefore = before.map(Condition::getReason).orElse("");
    String reasonAfter = after.get().getReason();
    if (Conditions.ROLLED_OUT.equals(reasonAfter) && !reasonAfter.equals(reasonBefore) && before.isPresent()) {
      return Optional.of(EventIntent.normal(EventReasons.ROLLOUT_COMPLETE, after.get().getMessage()));
    } else if (Conditions.ROLLOUT_TIMEOUT.equals(reasonAfter) && !reasonAfter.equals(reasonBefore)) {
      return Optional.of(EventIntent.warning(EventReasons.ROLLOUT_TIMEOUT, after.get().getMessage()));
    } else if (Set.of(Conditions.TARGET_NOT_FOUND, Conditions.TARGET_NOT_OPTED_IN, Conditions.UNSUPPORTED_UPDATE_STRATEGY)
        .contains(reasonAfter)) {
      // A target that names nothing, or that cannot roll, is a mistake in the spec or the workload: say so.
      return warnOnChange(old, Conditions.ROLLOUT_COMPLETE, reasonAfter, after.get().getMessage());
    }
    return Optional.empty();
  }

  /** A Warning, unless the last status already said the same in a False condition of that type. */
  static Optional<EventIntent> warnOnChange(JwtSecretStatus old, String type, String reason, String message) {
    boolean same = Conditions.find(old.conditions, type)
        .map(c -> Objects.equals(c.getMessage(), message) && Conditions.FALSE.equals(c.getStatus()))
        .orElse(false);
    return same ? Optional.empty() : Optional.of(EventIntent.warning(reason, message));
  }
}
