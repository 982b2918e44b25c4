package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The store pool is shared by every namespace (4 threads, FIFO, a call's deadline running from its
 * submission). One namespace's calls to a store that stalls (its own JwtSecretStore at a tarpit; 8
 * JwtSecrets with restore: true and a long restoreTimeout re-read it every 10s) held every thread, so
 * another namespace's call to a healthy store waited in the queue past its deadline and was reported as
 * StoreUnreachable ("no answer within 10s"), again at each retry (the store audit of 2026-12-04). A
 * namespace now has at most half the threads.
 */
class StoreCallsFairnessTest {
  @Test
  void anotherNamespacesStalledCallsDoNotMakeAHealthyCallFail() throws Exception {
    CountDownLatch tarpit = new CountDownLatch(1);
    try (StoreCalls calls = new StoreCalls(Duration.ofSeconds(2), Duration.ofMillis(100))) {
      for (int i = 0; i < 8; i++) {
        Optional<StoreCalls.Outcome> stalled = calls.run("team-a", "attacker-uid-" + i + " read JwtSecretStore/tarpit:p/team-a/k" + i,
            "read", () -> {
              tarpit.await();
              return StoreCalls.Outcome.ok();
            });
        assertThat(stalled).as("in flight").isEmpty();
      }
      String victim = "victim-uid JwtSecretStore/team-vault:p/team-b/app";
      Optional<StoreCalls.Outcome> outcome = calls.run("team-b", victim, "ks1", StoreCalls.Outcome::ok);
      for (int i = 0; i < 30 && outcome.isEmpty(); i++) {
        Thread.sleep(100);
        outcome = calls.run("team-b", victim, "ks1", StoreCalls.Outcome::ok);
      }
      assertThat(outcome).as("the healthy store's answer").isPresent();
      assertThat(outcome.get().failure()).as("the healthy store's call").isEmpty();
    } finally {
      tarpit.countDown();
    }
  }

  /** A namespace's calls beyond its share wait outside the pool, and go once its earlier calls are done. */
  @Test
  void aNamespacesCallsBeyondItsShareWaitTheirTurnAndThenGo() throws Exception {
    CountDownLatch slow = new CountDownLatch(1);
    try (StoreCalls calls = new StoreCalls(Duration.ofSeconds(30), Duration.ofMillis(50))) {
      for (int i = 0; i < StoreCalls.PER_NAMESPACE; i++) {
        assertThat(calls.run("team-a", "uid-" + i + " push", "ks1", () -> {
          slow.await();
          return StoreCalls.Outcome.ok();
        })).as("in flight").isEmpty();
      }
      java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
      assertThat(calls.run("team-a", "uid-x push", "ks1", () -> {
        made.incrementAndGet();
        return StoreCalls.Outcome.ok();
      })).as("beyond the share: waits").isEmpty();
      Thread.sleep(200);
      assertThat(made.get()).as("not made while the share is taken").isZero();

      slow.countDown();
      for (int i = 0; i < StoreCalls.PER_NAMESPACE; i++) {
        String key = "uid-" + i + " push";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> calls.run("team-a", key, "ks1", StoreCalls.Outcome::ok).isPresent());
      }
      Optional<StoreCalls.Outcome> third = calls.run("team-a", "uid-x push", "ks1", () -> {
        made.incrementAndGet();
        return StoreCalls.Outcome.ok();
      });
      assertThat(third).as("made once the share came back").isPresent();
      assertThat(made.get()).isEqualTo(1);
    } finally {
      slow.countDown();
    }
  }
}
