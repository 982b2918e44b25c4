package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.photoapp.jwt.runtime.OperatorRuntime;
import io.photoapp.jwt.testing.Endpoints;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several replicas with --leader-election: one reconciles, the others stand by ready, and take over. */
@MockApiServer
class LeaderElectionTest {
  static final String LEASE_NAMESPACE = "jwt-system";
  static final String LEASE = "jwt-secret-operator";
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
    h.namespace("photoapp", Map.of());
  }

  /** Lease timings far longer than any wait below, so that only a release explains a quick takeover. */
  static OperatorConfig replica(Duration leaseDuration) {
    return OperatorConfig.defaults().withMetricsPort(0).withLeaderElection(LEASE_NAMESPACE, LEASE)
        .withLeaseTimings(new OperatorConfig.LeaseTimings(leaseDuration, leaseDuration.multipliedBy(2).dividedBy(3),
            Duration.ofMillis(200)));
  }

  static double reconcilesStarted(OperatorRuntime replica) {
    return replica.metrics().registry().find("operator.sdk.reconciliations.started").counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  Lease lease() {
    return h.client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).get();
  }

  String holder() {
    Lease lease = lease();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  OperatorRuntime awaitLeader(List<OperatorRuntime> replicas) {
    await().atMost(Duration.ofSeconds(10)).until(() -> replicas.stream().filter(OperatorRuntime::isLeader).count() == 1);
    return replicas.stream().filter(OperatorRuntime::isLeader).findFirst().orElseThrow();
  }

  void createJwtSecret(String name) {
    h.apply(JwtSecrets.named(name).in("photoapp").development());
  }

  @Test
  void onlyTheLeaderReconcilesWhileTheStandbyReportsReady() {
    OperatorRuntime a = h.launch(replica(Duration.ofSeconds(30)));
    OperatorRuntime b = h.launch(replica(Duration.ofSeconds(30)));
    OperatorRuntime leader = awaitLeader(List.of(a, b));
    OperatorRuntime standby = leader == a ? b : a;
    assertThat(holder()).isEqualTo(leader.leaseIdentity());

    Endpoints.Response leaderReady = Endpoints.get(leader.healthPort(), "/readyz");
    assertThat(leaderReady.status()).isEqualTo(200);
    assertThat(leaderReady.body()).isEqualTo("leader\n");
    // The standby names the leader once its elector has read the Lease (it tries every 200 ms).
    await().atMost(Duration.ofSeconds(5))
        .until(() -> Endpoints.get(standby.healthPort(), "/readyz").body().contains(leader.leaseIdentity()));
    Endpoints.Response standbyReady = Endpoints.get(standby.healthPort(), "/readyz");
    assertThat(standbyReady.status()).as("a standby is ready: its informers have synced").isEqualTo(200);
    assertThat(standbyReady.body()).startsWith("standby").contains(leader.leaseIdentity());

    createJwtSecret("photoapp-jwt");
    h.awaitStatus("photoapp", "photoapp-jwt", js -> js.getStatus().keyId != null);
    assertThat(reconcilesStarted(leader)).isPositive();
    assertThat(reconcilesStarted(standby)).isZero();
    // The reconcile sets its metrics just after it writes the status the test has seen.
    await("the leader's jwtsecret_ready").atMost(java.time.Duration.ofSeconds(10))
        .until(() -> Endpoints.get(leader.healthPort(), "/metrics").body().contains("jwtsecret_ready{"));
    assertThat(Endpoints.get(standby.healthPort(), "/metrics").body()).doesNotContain("jwtsecret_ready{");
  }

  @Test
  void whenTheLeaderStopsItReleasesTheLeaseAndTheStandbyTakesOverAtOnce() {
    Duration leaseDuration = Duration.ofSeconds(60);
    OperatorRuntime a = h.launch(replica(leaseDuration));
    OperatorRuntime b = h.launch(replica(leaseDuration));
    OperatorRuntime leader = awaitLeader(List.of(a, b));
    OperatorRuntime standby = leader == a ? b : a;

    leader.close();

    // Far sooner than the 60s lease duration: only the release explains it.
    await().atMost(Duration.ofSeconds(10)).until(standby::isLeader);
    assertThat(holder()).isEqualTo(standby.leaseIdentity());
    assertThat(Endpoints.get(standby.healthPort(), "/readyz").body()).isEqualTo("leader\n");
    createJwtSecret("after-takeover");
    h.awaitStatus("photoapp", "after-takeover", js -> js.getStatus().keyId != null);
    assertThat(reconcilesStarted(standby)).isPositive();
  }

  @Test
  @NoKeys
  void aLeaseLeftByACrashedLeaderIsTakenOverOnceItExpires() throws InterruptedException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    h.client.leases().inNamespace(LEASE_NAMESPACE).resource(new LeaseBuilder()
        .withNewMetadata().withName(LEASE).withNamespace(LEASE_NAMESPACE).endMetadata()
        .withNewSpec().withHolderIdentity("crashed-replica").withLeaseDurationSeconds(3)
        .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build()).create();

    // The other replica renews until the new one has seen it hold the Lease (the new one's start, its informers
    // synced first, may take longer than the Lease's 3 s on a loaded machine); then it crashes.
    ScheduledExecutorService crashed = Executors.newSingleThreadScheduledExecutor();
    OperatorRuntime b;
    try {
      crashed.scheduleWithFixedDelay(() -> h.client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).edit(l -> {
        l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
        return l;
      }), 500, 500, TimeUnit.MILLISECONDS);
      b = h.launch(replica(Duration.ofSeconds(3)));
      await().atMost(Duration.ofSeconds(15)).until(() -> b.readiness().text().equals("standby (leader: crashed-replica)"));
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !b.isLeader());
    } finally {
      crashed.shutdownNow();
      crashed.awaitTermination(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
    assertThat(holder()).isEqualTo(b.leaseIdentity());
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  @NoKeys
  void aLeaderThatLosesItsLeaseStopsAndFailsItsLivenessCheck() throws InterruptedException {
    OperatorRuntime a = h.launch(replica(Duration.ofSeconds(30)));
    CountDownLatch lost = new CountDownLatch(1);
    a.onLostLeadership(lost::countDown);
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);

    // Another replica takes the Lease over (as after a long partition of this one).
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try {
        h.client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).edit(l -> {
          l.getSpec().setHolderIdentity("usurper");
          l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
          return l;
        });
      } catch (KubernetesClientException e) {
        // A renewal came in between (409): try again.
      }
      return lost.await(500, TimeUnit.MILLISECONDS);
    });
    assertThat(a.isLeader()).isFalse();
    assertThat(Endpoints.get(a.healthPort(), "/healthz").status()).isEqualTo(503);
  }
}
