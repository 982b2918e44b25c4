package io.photoapp.jwt.ops;

import io.javaoperatorsdk.operator.processing.event.rate.RateLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The SDK's rate limiter, shared by every JwtSecret: reconciles start at most {@code perSecond} a
 * second after a burst of {@code burst}, whichever JwtSecrets they are for, so in any one second at
 * most {@code perSecond + burst} start. (The SDK's own LinearRateLimiter counts each JwtSecret
 * alone, which bounds nothing when 500 fall due at once.) A JwtSecret that has to wait gets a start
 * time of its own, so many waiting JwtSecrets do not all wake for the same free slot.
 */
public final class ReconcileRateLimiter implements RateLimiter<ReconcileRateLimiter.Slot> {
  private final long interval;
  private final long tolerance;
  private final LongSupplier nanoTime;
  private long next;
  private boolean used;

  /** The start time reserved for one JwtSecret, while it waits. */
  public static final class Slot implements RateLimiter.RateLimitState {
    private boolean reserved;
    private long at;
  }

  public ReconcileRateLimiter(int perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  ReconcileRateLimiter(int perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("perSecond and burst must be at least 1");
    }
    this.interval = 1_000_000_000L / perSecond;
    this.tolerance = (burst - 1) * interval;
    this.nanoTime = nanoTime;
  }

  /** Empty when the reconcile may start now; otherwise how long to wait (the SDK asks again then). */
  @Override
  public synchronized Optional<Duration> isLimited(RateLimitState state) {
    Slot slot = (Slot) state;
    long now = nanoTime.getAsLong();
    if (slot.reserved) {
      if (now - slot.at >= 0) {
        slot.reserved = false;
        return Optional.empty();
      }
      return Optional.of(roundedUp(slot.at - now));
    }
    // GCRA: the theoretical arrival time moves one interval per start; a start is free within the burst.
    long arrival = used && next - now > 0 ? next : now;
    used = true;
    next = arrival + interval;
    long earliest = arrival - tolerance;
    if (earliest - now <= 0) {
      return Optional.empty();
    }
    slot.reserved = true;
    slot.at = earliest;
    return Optional.of(roundedUp(earliest - now));
  }

  /** The SDK schedules in milliseconds: round up, or it comes back a little early and asks again. */
  private static Duration roundedUp(long nanos) {
    return Duration.ofMillis((nanos + 999_999) / 1_000_000);
  }

  @Override
  public Slot initState() {
    return new Slot();
  }
}
