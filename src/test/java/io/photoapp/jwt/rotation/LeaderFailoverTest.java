package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.runtime.OperatorRuntime;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.SecretHistory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election; the leader goes away in the middle of a staged rotation, right
 * after one of its Secret writes: the standby takes over and the rotation completes exactly once.
 */
@MockApiServer
class LeaderFailoverTest {
  static final String NS = "failover";
  OperatorHarness h;
  SecretHistory history;
  List<OperatorRuntime> replicas;

  /** Short timings so that a Lease left by a dead leader expires within seconds. */
  static OperatorConfig replica() {
    return OperatorConfig.defaults().withMetricsPort(-1).withLeaderElection("jwt-system", "jwt-secret-operator")
        .withLeaseTimings(new OperatorConfig.LeaseTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
  }

  @BeforeEach
  void twoReplicas(OperatorHarness harness) {
    h = harness;
    history = SecretHistory.watch(h.client, h.clock);
    replicas = List.of(h.launch(replica()), h.launch(replica()));
    await().atMost(Duration.ofSeconds(10)).until(() -> leader() != null);
  }

  @AfterEach
  void stopWatching() {
    history.close();
  }

  OperatorRuntime leader() {
    return replicas.stream().filter(OperatorRuntime::isLeader).findFirst().orElse(null);
  }

  /** Rotates with the leader leaving right after its {@code nth} Secret write; returns the replica that left. */
  OperatorRuntime rotateLosingTheLeaderAfterSecretWrite(int nth, boolean crash) {
    StagedRotationDriver driver = new StagedRotationDriver(h, List.of(NS), history).reconciling(this::leader);
    driver.create();
    AtomicReference<OperatorRuntime> gone = new AtomicReference<>();
    h.dispatcher.freezeAfterWriteMatching(NS, "PATCH /api/v1/namespaces/" + NS + "/secrets/", nth);
    driver.onTick(() -> {
      if (h.dispatcher.frozen(NS) && gone.get() == null) {
        OperatorRuntime old = leader();
        gone.set(old);
        if (crash) {
          // Dies without a word: no release, the Lease has to expire.
          old.onLostLeadership(() -> { });
          old.operator().stop();
        } else {
          old.close();
        }
        h.dispatcher.thaw(NS);
      }
    });
    driver.rotate();
    assertThat(driver.brokenPromises(NS, true)).as("broken promises; writes: " + h.dispatcher.writes(NS)).isEmpty();
    double rotations = replicas.stream().mapToDouble(r -> r.metrics().registry().find("jwtsecret_rotations_total")
        .tag("namespace", NS).counters().stream().mapToDouble(Counter::count).sum()).sum();
    assertThat(rotations).as("rotations counted by both replicas").isLessThanOrEqualTo(1);
    return gone.get();
  }

  @Test
  void aLeaderStoppedRightAfterTheSwitchHandsOverAndTheRotationCompletesOnce() {
    OperatorRuntime gone = rotateLosingTheLeaderAfterSecretWrite(2, false);
    assertThat(gone).isNotNull();
    assertThat(leader()).as("the standby leads now").isNotNull().isNotSameAs(gone);
  }

  @Test
  void aLeaderThatDiesRightAfterPublishingIsReplacedOnceItsLeaseExpires() {
    OperatorRuntime gone = rotateLosingTheLeaderAfterSecretWrite(1, true);
    assertThat(gone).isNotNull();
    assertThat(leader()).as("the standby leads now").isNotNull().isNotSameAs(gone);
  }
}
