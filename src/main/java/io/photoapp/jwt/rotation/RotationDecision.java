package io.photoapp.jwt.rotation;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a decision: what to do, why, and when to look again.
 *
 * @param reason the rotation reason for actions that make a key (see {@link Reasons})
 * @param recheckAfter the next moment that matters (a due time, a stage's wait, a grace's end)
 * @param waitingFor what holds the rotation, for a person reading status
 * @param gate a planned stage that is due but held by a person's approval or a rotation window
 */
public record RotationDecision(Action action, String reason, Optional<Duration> recheckAfter, String waitingFor, Gate gate) {
  /** What holds a due planned stage, beyond rollouts and delays. */
  public enum Gate {
    NONE,
    /** {@code approval: Manual}: the switch waits for {@code jwt.photoapp.io/approve-switch: <next key id>}. */
    APPROVAL,
    /** {@code spec.rotation.windows}: the stage waits for the next window to open. */
    WINDOW
  }

  public RotationDecision(Action action, String reason, Optional<Duration> recheckAfter, String waitingFor) {
    this(action, reason, recheckAfter, waitingFor, Gate.NONE);
  }

  public static RotationDecision act(Action action, String reason) {
    return new RotationDecision(action, reason, Optional.empty(), "");
  }

  public static RotationDecision waitFor(String what, Optional<Duration> recheckAfter) {
    return new RotationDecision(Action.NONE, "", recheckAfter, what);
  }

  /** A due planned stage held at a gate. */
  public static RotationDecision gated(Gate gate, String what, Optional<Duration> recheckAfter) {
    return new RotationDecision(Action.NONE, "", recheckAfter, what, gate);
  }

  public boolean writesSecret() {
    return action != Action.NONE && action != Action.HOLD;
  }

  /** Whether the switch waits for a person ({@code AwaitingApproval}). */
  public boolean awaitingApproval() {
    return gate == Gate.APPROVAL;
  }
}
