package io.photoapp.jwt.restart;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.RotationInput;
import io.photoapp.jwt.rotation.RotationPlanner;
import io.photoapp.jwt.rotation.StatusKeys;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.status.Conditions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * When another JwtSecret that rolls a workload is next due to roll it, from its spec and status (key
 * ids and times, as {@code status --plan} reads them) through the operator's own planner: pure.
 * Empty when it is not due by time alone: no key yet, waiting for a rollout, for approval, or paused.
 */
public final class SharerDue {
  /** The actions whose Secret write rolls the targets. */
  private static final Set<Action> ROLLING = Set.of(Action.PUBLISH, Action.SWITCH, Action.RETIRE, Action.EMERGENCY);

  private SharerDue() {}

  /**
   * @param approvalRequired the namespace requires approval ({@code jwt.photoapp.io/require-approval})
   */
  public static Optional<Instant> of(JwtSecret sharer, boolean approvalRequired, Instant now) {
    SpecResolver.Result resolved = SpecResolver.resolve(sharer);
    if (resolved.spec() == null) {
      return Optional.empty();
    }
    EffectiveSpec spec = resolved.spec().withApprovalFloor(approvalRequired);
    JwtSecretStatus st = sharer.getStatus() == null ? new JwtSecretStatus() : sharer.getStatus();
    Optional<KeyState> state = StatusKeys.stateOf(st, spec.algorithm());
    if (state.isEmpty()) {
      return Optional.empty();
    }
    boolean rolledOut = Conditions.isTrue(st.conditions, Conditions.ROLLOUT_COMPLETE);
    Phase phase = state.get().phase();
    if (!rolledOut && (phase == Phase.Publishing || phase == Phase.Switching)) {
      // Its next stage waits for a rollout: not due by time.
      return Optional.empty();
    }
    RotationDecision d = RotationPlanner.decide(new RotationInput(spec, state, false, false, false, true, rolledOut, now,
        resolved.valid()));
    if (d.writesSecret()) {
      return ROLLING.contains(d.action()) ? Optional.of(now) : Optional.empty();
    }
    if (d.gate() == RotationDecision.Gate.APPROVAL || d.action() == Action.HOLD) {
      return Optional.empty();
    }
    return d.recheckAfter().map(now::plus);
  }
}
