package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter shared by every JwtSecret: a burst, then a steady rate, each waiting JwtSecret with a slot of its own. */
class ReconcileRateLimiterTest {
  final AtomicLong now = new AtomicLong(123_456_789L);
  final ReconcileRateLimiter limiter = new ReconcileRateLimiter(100, 20, now::get);

  @Test
  void aBurstStartsAtOnceAndTheRestWaitForSlotsTenMillisecondsApart() {
    List<ReconcileRateLimiter.Slot> waiting = new ArrayList<>();
    List<Duration> waits = new ArrayList<>();
    int startedAtOnce = 0;
    for (int i = 0; i < 500; i++) {
      ReconcileRateLimiter.Slot slot = limiter.initState();
      Optional<Duration> wait = limiter.isLimited(slot);
      if (wait.isEmpty()) {
        startedAtOnce++;
      } else {
        waiting.add(slot);
        waits.add(wait.get());
      }
    }
    assertThat(startedAtOnce).isEqualTo(20);
    assertThat(waits.get(0)).isEqualTo(Duration.ofMillis(10));
    assertThat(waits.get(1)).isEqualTo(Duration.ofMillis(20));
    assertThat(waits.get(479)).isEqualTo(Duration.ofMillis(4800));

    // Asked again before its slot, a JwtSecret keeps it; at its slot it starts.
    now.addAndGet(Duration.ofMillis(5).toNanos());
    assertThat(limiter.isLimited(waiting.get(0))).contains(Duration.ofMillis(5));
    now.addAndGet(Duration.ofMillis(5).toNanos());
    assertThat(limiter.isLimited(waiting.get(0))).isEmpty();
    assertThat(limiter.isLimited(waiting.get(1))).contains(Duration.ofMillis(10));
  }

  @Test
  void inAnySecondAtMostTheRatePlusTheBurstStart() {
    // Callers ask every millisecond for ten seconds and come back when told.
    List<long[]> starts = new ArrayList<>();
    List<ReconcileRateLimiter.Slot> slots = new ArrayList<>();
    List<Long> due = new ArrayList<>();
    long t0 = now.get();
    for (int ms = 0; ms < 10_000; ms++) {
      now.set(t0 + ms * 1_000_000L);
      for (int i = 0; i < 3; i++) {
        ReconcileRateLimiter.Slot slot = limiter.initState();
        Optional<Duration> wait = limiter.isLimited(slot);
        if (wait.isEmpty()) {
          starts.add(new long[] {now.get()});
        } else {
          slots.add(slot);
          due.add(now.get() + wait.get().toNanos());
        }
      }
      for (int i = 0; i < slots.size(); i++) {
        if (due.get(i) <= now.get() && limiter.isLimited(slots.get(i)).isEmpty()) {
          starts.add(new long[] {now.get()});
          slots.remove(i);
          due.remove(i);
          i--;
        }
      }
    }
    int peak = 0;
    for (int i = 0, j = 0; i < starts.size(); i++) {
      while (starts.get(i)[0] - starts.get(j)[0] >= 1_000_000_000L) {
        j++;
      }
      peak = Math.max(peak, i - j + 1);
    }
    assertThat(peak).isLessThanOrEqualTo(120);
    assertThat(starts).hasSizeBetween(990, 1020);
  }
}
