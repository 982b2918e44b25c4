package io.photoapp.jwt.rotation;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a decision: what to do, why, and when to look again.
 *
 * @param reason the rotation reason for actions that make a key (see {@link Reasons})
 * @param recheckAfter the next moment that matters (a due time, a stage's wait, a grace's end)
 * @param waitingFor what holds the rotation, for a person reading status
 */
public record RotationDecision(Action action, String reason, Optional<Duration> recheckAfter, String waitingFor) {
  public static RotationDecision act(Action action, String reason) {
    return new RotationDecision(action, reason, Optional.empty(), "");
  }

  public static RotationDecision waitFor(String what, Optional<Duration> recheckAfter) {
    return new RotationDecision(Action.NONE, "", recheckAfter, what);
  }

  public boolean writesSecret() {
    return action != Action.NONE && action != Action.HOLD;
  }
}
