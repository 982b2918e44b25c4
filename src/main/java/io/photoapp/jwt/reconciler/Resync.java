package io.photoapp.jwt.reconciler;

import java.time.Duration;
import java.util.Optional;

/**
 * When a JwtSecret is reconciled again with nothing happening: at its own recheck (a stage's time, a
 * rollout's patience, a store's resync) if that comes sooner, else within the resync interval. The
 * SDK's {@code maxReconciliationInterval} is no safety net here: a reconcile that asks for a recheck
 * replaces it, and a Ready JwtSecret's recheck is its next rotation, months away. Without this a change
 * the watches missed (or a bug's wrong decision) would wait that long; with it every JwtSecret is
 * looked at again every few minutes, from the caches (a reconcile with nothing to do sends nothing).
 * The interval is spread over its last minute by the JwtSecret's uid, so that the thousands reconciled
 * together at start-up do not all come back in the same second.
 */
final class Resync {
  /** The longest a JwtSecret waits for its next reconcile (the controller's maxReconciliationInterval too). */
  static final int MINUTES = 10;
  static final Duration INTERVAL = Duration.ofMinutes(MINUTES);
  /** How much of the interval's end the uid spreads the resyncs over. */
  static final Duration SPREAD = Duration.ofMinutes(1);
  /** Added to a recheck, so that the time it waits for has passed when it runs. */
  static final Duration MARGIN = Duration.ofMillis(50);

  private Resync() {}

  /** The delay until the next reconcile: the recheck (with its margin) if sooner, else the spread interval. */
  static Duration after(Optional<Duration> recheck, String uid) {
    Duration cap = INTERVAL.minusMillis(Math.floorMod(uid == null ? 0 : uid.hashCode(), SPREAD.toMillis()));
    return recheck.map(d -> d.plus(MARGIN)).filter(d -> d.compareTo(cap) < 0).orElse(cap);
  }
}
