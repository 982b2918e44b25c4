package io.photoapp.jwt.push;

import io.photoapp.jwt.api.PushStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The pure part of pushing: whether a target needs a push now, may wait out its backoff, or already
 * holds the key set; what its status entry says after an attempt; and the Pushed condition.
 */
public final class PushPlanner {
  /** The Pushed condition's reason while a store call is in flight. */
  public static final String IN_PROGRESS = "PushInProgress";
  /** The Pushed condition's reason when every store holds the key set and the last write repaired drift. */
  public static final String DRIFT_REPAIRED = "DriftRepaired";
  /** The first retry after a failure; each failure in a row doubles it, up to {@link #MAX_RETRY}. */
  public static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  public static final Duration MAX_RETRY = Duration.ofMinutes(10);

  private PushPlanner() {}

  /** What to do for one target. */
  public enum Step {
    /** The store holds the key set: nothing to do. */
    IN_SYNC,
    /** Push now. */
    PUSH,
    /** A push of this key set failed lately: wait until its next attempt. */
    WAIT,
    /** The target is refused: report it, send nothing anywhere. */
    INVALID,
    /** An AWS secret written less than 10 minutes ago: the key set waits (AWS advises one write per secret per 10m). */
    THROTTLED
  }

  /** The least time between two writes to the same AWS secret, as AWS advises. */
  public static final Duration AWS_WRITE_INTERVAL = Duration.ofMinutes(10);

  /** The Pushed condition: its status, reason and message. */
  public record Verdict(boolean status, String reason, String message) {}

  public static Step step(Target target, String keySet, Optional<PushStatus> old, Instant now) {
    if (target.refusal().isPresent()) {
      return Step.INVALID;
    }
    if (old.isPresent() && keySet.equals(old.get().keySet)) {
      return Step.IN_SYNC;
    }
    Optional<Instant> next = old.filter(o -> keySet.equals(o.pendingKeySet)).flatMap(o -> time(o.nextAttemptTime));
    if (next.isPresent() && now.isBefore(next.get())) {
      return Step.WAIT;
    }
    return writeAllowedAt(target, keySet, old).filter(now::isBefore).isPresent() ? Step.THROTTLED : Step.PUSH;
  }

  /**
   * When an AWS target may be written again: 10 minutes after its last write. A key set that keeps none
   * of the keys the store holds (an emergency: the held keys must go) is written at once, as is a
   * store that was never written.
   */
  public static Optional<Instant> writeAllowedAt(Target target, String keySet, Optional<PushStatus> old) {
    if (target.store().map(s -> s.provider() != Provider.AWS_SECRETS_MANAGER).orElse(true) || old.isEmpty()
        || old.get().keySet == null) {
      return Optional.empty();
    }
    java.util.Set<String> held = java.util.Set.of(old.get().keySet.split(","));
    boolean keepsAKey = java.util.Arrays.stream(keySet.split(",")).anyMatch(held::contains);
    return keepsAKey ? time(old.get().lastPushTime).map(t -> t.plus(AWS_WRITE_INTERVAL)) : Optional.empty();
  }

  /** A key set that waits for the AWS write interval: pending, tried at {@code at}; no failure. */
  public static PushStatus throttled(Target target, Optional<PushStatus> old, String keySet, Instant at) {
    PushStatus s = kept(target, old);
    s.pendingKeySet = keySet;
    s.nextAttemptTime = at.toString();
    return s;
  }

  /** The entry of a store that holds the key set (failures of an earlier key set forgotten). */
  public static PushStatus inSync(Target target, PushStatus old) {
    PushStatus s = new PushStatus();
    s.target = target.id();
    s.keySet = old.keySet;
    s.lastPushTime = old.lastPushTime;
    s.lastCheckTime = old.lastCheckTime;
    s.lastDriftRepairTime = old.lastDriftRepairTime;
    return s;
  }

  /** A push that landed (a push is also a check); one that rewrote a drifted store says so. */
  public static PushStatus succeeded(Target target, Optional<PushStatus> old, String keySet, Instant now) {
    PushStatus s = new PushStatus();
    s.target = target.id();
    s.keySet = keySet;
    s.lastPushTime = now.toString();
    s.lastCheckTime = now.toString();
    s.lastDriftRepairTime = old.filter(o -> o.driftDetectedTime != null).map(o -> now.toString())
        .orElse(old.map(o -> o.lastDriftRepairTime).orElse(null));
    return s;
  }

  public static PushStatus succeeded(Target target, String keySet, Instant now) {
    return succeeded(target, Optional.empty(), keySet, now);
  }

  /**
   * Whether a store that holds the key set is due to be read back and compared: at most once per the
   * target's resyncInterval since the last check (a push is a check), every kind of store.
   */
  public static boolean checkDue(Target target, PushStatus entry, Instant now) {
    if (target.store().isEmpty()) {
      return false;
    }
    Optional<Instant> last = time(entry.lastCheckTime).or(() -> time(entry.lastPushTime));
    return last.map(t -> !now.isBefore(t.plus(target.readBack().resyncInterval()))).orElse(true);
  }

  /**
   * When a store found drifted may be rewritten: an AWS secret 10 minutes after the operator last wrote
   * it (AWS advises no more than one write per secret per 10 minutes), any other store at once.
   */
  public static Optional<Instant> repairAllowedAt(Target target, PushStatus entry) {
    if (target.store().map(s -> s.provider() != Provider.AWS_SECRETS_MANAGER).orElse(true)) {
      return Optional.empty();
    }
    return time(entry.lastPushTime).map(t -> t.plus(AWS_WRITE_INTERVAL));
  }

  /** A store found to differ from the key set: it no longer holds it, and is rewritten now. */
  public static PushStatus drifted(Target target, PushStatus old, Instant now) {
    PushStatus s = inSync(target, old);
    s.keySet = null;
    s.lastCheckTime = now.toString();
    s.driftDetectedTime = now.toString();
    return s;
  }

  /** While a call is in flight: the store holds what it held, and the key set is pending. */
  public static PushStatus pending(Target target, Optional<PushStatus> old, String keySet) {
    PushStatus s = kept(target, old);
    s.pendingKeySet = keySet;
    old.filter(o -> keySet.equals(o.pendingKeySet)).ifPresent(o -> {
      s.failures = o.failures;
      s.lastFailureTime = o.lastFailureTime;
      s.reason = o.reason;
      s.message = o.message;
    });
    return s;
  }

  /** After a failed attempt: the store still holds what it held; the next attempt backs off. */
  public static PushStatus failed(Target target, Optional<PushStatus> old, String keySet, PushException e, Instant now) {
    PushStatus s = kept(target, old);
    int before = old.filter(o -> keySet.equals(o.pendingKeySet)).map(o -> o.failures).orElse(0);
    s.pendingKeySet = keySet;
    s.failures = before + 1;
    s.lastFailureTime = now.toString();
    s.nextAttemptTime = now.plus(backoff(s.failures)).toString();
    s.reason = e.reason().name();
    s.message = e.getMessage();
    return s;
  }

  /** A target that is refused: reported, never attempted, so never counted as a failure. */
  public static PushStatus invalid(Target target, Optional<PushStatus> old, String keySet) {
    PushStatus s = kept(target, old);
    s.pendingKeySet = keySet;
    PushException refusal = target.refusal().orElseThrow();
    s.reason = refusal.reason().name();
    s.message = refusal.getMessage();
    return s;
  }

  private static PushStatus kept(Target target, Optional<PushStatus> old) {
    PushStatus s = new PushStatus();
    s.target = target.id();
    s.keySet = old.map(o -> o.keySet).orElse(null);
    s.lastPushTime = old.map(o -> o.lastPushTime).orElse(null);
    s.lastCheckTime = old.map(o -> o.lastCheckTime).orElse(null);
    s.driftDetectedTime = old.map(o -> o.driftDetectedTime).orElse(null);
    s.lastDriftRepairTime = old.map(o -> o.lastDriftRepairTime).orElse(null);
    return s;
  }

  /** 10s after the first failure, doubling with each failure in a row, at most 10m. */
  public static Duration backoff(int failures) {
    Duration d = FIRST_RETRY;
    for (int i = 1; i < failures && d.compareTo(MAX_RETRY) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  /** The Pushed condition for these entries; empty without targets. */
  public static Optional<Verdict> verdict(List<PushStatus> entries, String keySet) {
    if (entries == null || entries.isEmpty()) {
      return Optional.empty();
    }
    List<PushStatus> failing = entries.stream().filter(e -> e.reason != null).toList();
    List<PushStatus> pending = entries.stream().filter(e -> e.reason == null && !keySet.equals(e.keySet)).toList();
    if (failing.isEmpty() && !pending.isEmpty()) {
      return Optional.of(new Verdict(false, IN_PROGRESS, "pushing key set " + keySet + " to "
          + pending.stream().map(e -> e.target + (e.driftDetectedTime == null ? "" : ", which differed from it at "
              + e.driftDetectedTime + " (edited outside the operator, or rolled back),")
              + (e.nextAttemptTime == null ? "" : " (AWS: one write per secret per 10m; next at " + e.nextAttemptTime + ")"))
              .collect(Collectors.joining(", "))));
    }
    List<PushStatus> repaired = entries.stream().filter(e -> e.lastDriftRepairTime != null
        && e.lastDriftRepairTime.equals(e.lastPushTime)).toList();
    if (failing.isEmpty() && !repaired.isEmpty()) {
      return Optional.of(new Verdict(true, DRIFT_REPAIRED, "every store holds key set " + keySet + "; rewritten after drift: "
          + repaired.stream().map(e -> e.target + " at " + e.lastDriftRepairTime).collect(Collectors.joining(", "))));
    }
    if (failing.isEmpty()) {
      return Optional.of(new Verdict(true, KeyPush.IN_SYNC, "every store holds key set " + keySet + ": "
          + entries.stream().map(e -> e.target).collect(Collectors.joining(", "))));
    }
    String message = failing.stream().map(e -> e.target + ": " + e.reason + ": " + e.message
        + (e.nextAttemptTime == null ? "" : " (next attempt at " + e.nextAttemptTime + ")"))
        .collect(Collectors.joining("; "));
    return Optional.of(new Verdict(false, failing.get(0).reason, message));
  }

  /** How long until the soonest retry; empty when nothing waits for one. */
  public static Optional<Duration> recheck(List<PushStatus> entries, Instant now) {
    return entries == null ? Optional.empty() : entries.stream()
        .map(e -> time(e.nextAttemptTime)).flatMap(Optional::stream)
        .map(t -> t.isAfter(now) ? Duration.between(now, t) : Duration.ZERO)
        .min(Duration::compareTo);
  }

  static Optional<PushStatus> find(List<PushStatus> entries, String target) {
    return entries == null ? Optional.empty()
        : entries.stream().filter(Objects::nonNull).filter(e -> target.equals(e.target)).findFirst();
  }

  private static Optional<Instant> time(String text) {
    try {
      return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
