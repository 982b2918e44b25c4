package io.photoapp.jwt.push;

import io.photoapp.jwt.rotation.KeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The pure part of rebuilding a Secret from a store ({@code spec.push[].restore}): whether to read the
 * store at all, and what its answer means: restore the key set it holds, generate a key (the store holds
 * none, or the wait for it has passed {@code restoreTimeout}), or wait and report {@code RestorePending}.
 */
public final class RestorePlanner {
  /** How soon an unreachable store is read again while a restore waits for it. */
  public static final Duration RETRY = PushPlanner.FIRST_RETRY;

  private RestorePlanner() {}

  /** What reading the restore target came to. */
  public enum Answer {
    /** The store holds a key set. */
    FOUND,
    /** The store holds nothing at the location. */
    EMPTY,
    /** The call is still in flight. */
    IN_FLIGHT,
    /** The store could not be read, or the target is refused (the refusal is the failure). */
    FAILED
  }

  /** A read of the restore target: its answer, the key set it holds, or why it could not be read. */
  public record Read(Target target, Answer answer, Optional<KeyState> held, Optional<PushException> failure) {}

  /** What to do. */
  public enum Step {
    /** Recreate the Secret from the key set the store holds. */
    RESTORE,
    /** Generate a key as usual. */
    GENERATE,
    /** Generate a key: the store stayed unreachable past restoreTimeout. */
    GENERATE_AFTER_TIMEOUT,
    /** Wait for the store: report RestorePending, read again later. */
    WAIT
  }

  /** The step, the state to restore (RESTORE), the message (WAIT, GENERATE_AFTER_TIMEOUT) and when to look again (WAIT). */
  public record Plan(Step step, Optional<KeyState> state, String message, Optional<Duration> recheckAfter) {
    static Plan of(Step step) {
      return new Plan(step, Optional.empty(), "", Optional.empty());
    }
  }

  /**
   * Whether the restore target is read: only for a JwtSecret with no Secret and no key yet (a Secret
   * deleted under a live JwtSecret is made anew as before: its key id in status says it had one).
   */
  public static boolean reads(boolean hasSecret, boolean hadKey, boolean hasRestoreTarget) {
    return !hasSecret && !hadKey && hasRestoreTarget;
  }

  /**
   * @param waitingSince when the wait began: the JwtSecret's creation, or when RestorePending was first
   *     reported, whichever is earlier
   */
  public static Plan decide(Read read, Instant now, Instant waitingSince) {
    switch (read.answer()) {
      case FOUND:
        return new Plan(Step.RESTORE, read.held(), "", Optional.empty());
      case EMPTY:
        return Plan.of(Step.GENERATE);
      default:
        break;
    }
    Duration timeout = read.target().readBack().restoreTimeout();
    Instant deadline = waitingSince.plus(timeout);
    String waiting = "waiting to restore the key set from " + read.target().id() + ": ";
    String until = "; a new key is generated at " + deadline + " unless the store answers or restore is removed";
    if (read.answer() == Answer.IN_FLIGHT) {
      // A read under way answers within its own deadline (10s), even past restoreTimeout: its key set may be there.
      return new Plan(Step.WAIT, Optional.empty(), waiting + "reading it" + until, Optional.of(KeyPush.COLLECT_AFTER));
    }
    String why = read.failure().map(e -> e.reason() + ": " + e.getMessage()).orElse("unreachable");
    if (!now.isBefore(deadline)) {
      return new Plan(Step.GENERATE_AFTER_TIMEOUT, Optional.empty(), "store " + read.target().id()
          + " could not be read within restoreTimeout " + io.photoapp.jwt.spec.Durations.format(timeout) + " (" + why + ")", Optional.empty());
    }
    Duration untilDeadline = Duration.between(now, deadline);
    return new Plan(Step.WAIT, Optional.empty(), waiting + why + until,
        Optional.of(RETRY.compareTo(untilDeadline) < 0 ? RETRY : untilDeadline));
  }
}
