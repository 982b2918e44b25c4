package io.photoapp.jwt.reconciler;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.ops.EventRecorder;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.secret.KeyState;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What a reconcile tells people: the Events of a key action and of rollouts, and the rotation metrics. */
final class Announcer {
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  Announcer(EventRecorder events, OperatorMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  void announce(JwtSecret resource, RotationDecision decision, KeyState before, KeyState after, EffectiveSpec spec) {
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    switch (decision.action()) {
      case CREATE -> {
        events.normal(resource, EventReasons.CREATED, "Created key " + after.current().id() + " in Secret "
            + spec.secretName() + (Reasons.SECRET_DELETED.equals(decision.reason()) ? " (the Secret had been deleted)" : ""));
        if (Reasons.SECRET_DELETED.equals(decision.reason())) {
          metrics.rotated(ns, name, decision.reason());
        }
      }
      case ADOPT -> events.normal(resource, EventReasons.ADOPTED, "Adopted Secret " + spec.secretName()
          + " with key " + after.current().id());
      case PUBLISH -> events.normal(resource, EventReasons.ROTATED, "Published next key " + after.next().get().id()
          + " (" + decision.reason() + "); switching once every target has rolled out");
      case SWITCH -> {
        events.normal(resource, EventReasons.ROTATED, "Key " + after.current().id() + " replaced "
            + before.current().id() + " (" + decision.reason() + "); the previous key stays for its grace period");
        metrics.rotated(ns, name, decision.reason());
      }
      case RETIRE -> events.normal(resource, EventReasons.ROTATED, "Previous key "
          + before.previous().map(k -> k.id()).orElse("") + " retired after its grace period");
      case EMERGENCY -> {
        events.warning(resource, EventReasons.EMERGENCY_ROTATION, "Replaced every key with " + after.current().id()
            + " (" + decision.reason() + "); every outstanding token stops verifying once the rollout completes");
        metrics.rotated(ns, name, decision.reason());
      }
      default -> { }
    }
  }

  /** An Event when a rotation starts to wait for approval (an alert pages on the metric; people read this). */
  void gateEvents(JwtSecret resource, JwtSecretStatus old, StatusDraft draft) {
    if (draft.phase() == io.photoapp.jwt.api.Phase.AwaitingApproval && old.phase != io.photoapp.jwt.api.Phase.AwaitingApproval) {
      events.normal(resource, EventReasons.AWAITING_APPROVAL, "Next key " + draft.build().nextKeyId
          + " is published to every target; the switch waits for the annotation "
          + io.photoapp.jwt.api.Labels.APPROVE_SWITCH + "=" + draft.build().nextKeyId + " (rotate --approve "
          + resource.getMetadata().getName() + ")");
    }
  }

  void rolloutEvents(JwtSecret resource, JwtSecretStatus old, StatusDraft draft) {
    Optional<io.fabric8.kubernetes.api.model.Condition> before = Conditions.find(old.conditions, Conditions.ROLLOUT_COMPLETE);
    Optional<io.fabric8.kubernetes.api.model.Condition> after = draft.condition(Conditions.ROLLOUT_COMPLETE);
    if (after.isEmpty()) {
      return;
    }
    String reasonBefore = before.map(io.fabric8.kubernetes.api.model.Condition::getReason).orElse("");
    String reasonAfter = after.get().getReason();
    if (Conditions.ROLLED_OUT.equals(reasonAfter) && !reasonAfter.equals(reasonBefore) && before.isPresent()) {
      events.normal(resource, EventReasons.ROLLOUT_COMPLETE, after.get().getMessage());
    } else if (Conditions.ROLLOUT_TIMEOUT.equals(reasonAfter) && !reasonAfter.equals(reasonBefore)) {
      events.warning(resource, EventReasons.ROLLOUT_TIMEOUT, after.get().getMessage());
    } else if (Set.of(Conditions.TARGET_NOT_FOUND, Conditions.TARGET_NOT_OPTED_IN, Conditions.UNSUPPORTED_UPDATE_STRATEGY)
        .contains(reasonAfter)) {
      // A target that names nothing, or that cannot roll, is a mistake in the spec or the workload: say so.
      warnOnChange(resource, old, Conditions.ROLLOUT_COMPLETE, reasonAfter, after.get().getMessage());
    }
  }

  void warnOnChange(JwtSecret resource, JwtSecretStatus old, String type, String reason, String message) {
    boolean same = Conditions.find(old.conditions, type)
        .map(c -> Objects.equals(c.getMessage(), message) && Conditions.FALSE.equals(c.getStatus()))
        .orElse(false);
    if (!same) {
      events.warning(resource, reason, message);
    }
  }
}
