package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Open finding of the store audit (2026-12-04): the store pool is shared by every namespace, FIFO, 4
 * threads, and a call's deadline runs from its submission, queued or not. One namespace's calls to a
 * store that stalls (its own JwtSecretStore at a tarpit; 8 JwtSecrets with restore: true and a long
 * restoreTimeout re-read it every 10s without backoff) hold every thread, so another namespace's call to
 * a healthy store waits in the queue past its deadline and is reported as StoreUnreachable ("no answer
 * within 10s"), again at each retry. Disabled until the pool is shared fairly between namespaces.
 */
class StoreCallsFairnessTest {
  @Disabled("open finding: one namespace's stalled store calls make another namespace's healthy calls fail")
  @Test
  void anotherNamespacesStalledCallsDoNotMakeAHealthyCallFail() throws Exception {
    CountDownLatch tarpit = new CountDownLatch(1);
    try (StoreCalls calls = new StoreCalls(Duration.ofSeconds(2), Duration.ofMillis(100))) {
      for (int i = 0; i < 8; i++) {
        Optional<StoreCalls.Outcome> stalled = calls.run("attacker-uid-" + i + " read JwtSecretStore/tarpit:p/team-a/k" + i,
            "read", () -> {
              tarpit.await();
              return StoreCalls.Outcome.ok();
            });
        assertThat(stalled).as("in flight").isEmpty();
      }
      String victim = "victim-uid JwtSecretStore/team-vault:p/team-b/app";
      Optional<StoreCalls.Outcome> outcome = calls.run(victim, "ks1", StoreCalls.Outcome::ok);
      for (int i = 0; i < 30 && outcome.isEmpty(); i++) {
        Thread.sleep(100);
        outcome = calls.run(victim, "ks1", StoreCalls.Outcome::ok);
      }
      assertThat(outcome).as("the healthy store's answer").isPresent();
      assertThat(outcome.get().failure()).as("the healthy store's call").isEmpty();
    } finally {
      tarpit.countDown();
    }
  }
}
