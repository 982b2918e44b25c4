package io.photoapp.jwt.reconciler;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.status.EventIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the {@link Planner} decided from an {@link Observation}: the reconcile is blocked, or it proceeds with these writes. */
public sealed interface Plan {
  /** A condition the status is to carry. */
  record ConditionIntent(String type, boolean status, String reason, String message) {}

  /**
   * What status, Events and metrics are to say that the plan knows before any write (rule ids and
   * reasons, not text to parse again). The rest depends on how the writes went ({@link StatusPlan}).
   *
   * @param compliance PolicyCompliant, from the findings about the key, the planned key and the settings
   * @param ready Ready as the plan knows it: no key, a key the profile rejects, or the key the Secret holds
   * @param readyWait what of the rotation after the writes Ready's message adds
   * @param overrides conditions that hold whatever the writes did (the key request throttle, an invalid spec): set last
   * @param leadingEvents sent ahead of the Events the writes' outcome adds (a policy violation newly seen)
   * @param closingEvents sent after them (the throttle's, the invalid spec's)
   * @param violatedRules the rule ids the violations metric shows
   */
  record Intents(ConditionIntent compliance, ConditionIntent ready, ReadyWait readyWait, List<ConditionIntent> overrides,
      List<EventIntent> leadingEvents, List<EventIntent> closingEvents, Set<String> violatedRules) {}

  /** What Ready's message adds of the rotation as it stands after the writes (the rollout's patches decide it). */
  enum ReadyWait {
    /** Nothing: there is no key. */
    NONE,
    /** A key the profile rejects: what the rotation holds for, when it holds. */
    HELD,
    /** The key the Secret holds: what the rotation waits for, if anything, and its gate (approval, window) as the reason. */
    WAITING
  }

  /** Why a reconcile writes nothing but status. */
  enum Cause {
    INVALID_SPEC, SECRET_SPEC_IMMUTABLE, CONFLICT, ADOPTION_REFUSED, RESTORE_PENDING,
    /** Another asymmetric key is being made: the same decision is taken again shortly. */
    GENERATOR_BUSY
  }

  /** Nothing is written but status: the conditions and events say why. */
  record Blocked(Cause cause, List<ConditionIntent> conditions, List<EventIntent> events, Optional<Duration> recheck)
      implements Plan {}

  /**
   * The writes, in the contract's order, and what is known before them.
   *
   * @param before the key state observed (or restored from a store)
   * @param state the key state after the decision's key action; {@code before} when the Secret is not written
   * @param desiredSecret the Secret to create or patch; null when it is not written
   * @param keyWindow the keys made within the throttle's window once the Secret is written (this process's record)
   * @param desiredConfigMap the public keys' ConfigMap to create or patch; null when there is none to write
   * @param rollout where the targets stand against {@code state}; null without a key
   * @param pushAllowed the key goes to the stores of spec.push: there is one, and the profile accepts it
   * @param events what the Secret's write announces (sent once it is written), in order
   * @param rotations the rotation reasons the rotations metric counts once the Secret is written
   * @param intents the conditions, Events and metric the status reports, as far as they are known before any write
   */
  record Proceed(
      EffectiveSpec spec,
      boolean specValid,
      RotationDecision decision,
      Optional<Instant> throttledUntil,
      Optional<KeyState> before,
      Optional<KeyState> state,
      Secret desiredSecret,
      List<Instant> keyWindow,
      ConfigMap desiredConfigMap,
      RolloutAssessment rollout,
      boolean pushAllowed,
      List<Finding> keyFindings,
      List<Finding> plannedFindings,
      List<EventIntent> events,
      List<String> rotations,
      Intents intents) implements Plan {

    Proceed withIntents(Intents told) {
      return new Proceed(spec, specValid, decision, throttledUntil, before, state, desiredSecret, keyWindow, desiredConfigMap,
          rollout, pushAllowed, keyFindings, plannedFindings, events, rotations, told);
    }

    boolean writesSecret() {
      return desiredSecret != null;
    }

    /** The decision and key ids only: the desired Secret and the key state are never printed, nor serialized. */
    @JsonValue
    @Override
    public String toString() {
      return "Proceed[decision=" + decision.action() + " " + decision.reason() + ", keySet="
          + state.map(KeyState::keySet).orElse("none") + ", writesSecret=" + writesSecret()
          + ", writesConfigMap=" + (desiredConfigMap != null) + ", events=" + events.size() + "]";
    }
  }

  /**
   * What a reconcile reports: the status to write, the Events to send, when to look again, and the
   * policy rules the violations metric shows (null: as they were).
   */
  record Report(JwtSecretStatus status, List<EventIntent> events, List<String> rotations, Optional<Duration> recheck,
      Set<String> violatedRules) {}
}
