package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.photoapp.jwt.api.JwtSecret;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas as the chart runs them (replicas: 2, leader election on): one acts, the other stands
 * by; a leader that loses its Lease stops (exits, so that it never acts next to the new leader), and
 * the standby takes over and becomes the operator the classes that run after this one use.
 */
@ExtendWith(ClusterExtension.class)
class LeaderElectionE2E {
  static final String NS = "e2e-leader";
  static final String LEASE = "jwt-secret-operator";

  @BeforeAll
  static void namespace(E2ECluster cluster) {
    cluster.namespace(NS);
  }

  @Test
  void oneReplicaActsAndALeaderThatLosesTheLeaseStops(E2ECluster cluster) throws Exception {
    OperatorProcess first = cluster.operator;
    assertThat(lease(cluster).getSpec().getHolderIdentity()).startsWith(first.identity() + "_");

    // A second replica stands by: ready, not leading, reconciling nothing.
    OperatorProcess second = cluster.startReplica("operator-2");
    second.awaitReady("standby", Duration.ofSeconds(60));
    cluster.apply(NS, """
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata:
          name: le-jwt
        spec:
          environment: test
        """);
    awaitRotationCount(cluster, 0);
    Thread.sleep(1000);
    assertThat(second.logText()).as("the standby's log").doesNotContain("in Secret le-jwt").doesNotContain("became leader");
    assertThat(first.logText()).contains("in Secret le-jwt");

    // Someone else takes the Lease (as a partitioned leader would find it taken when it comes back).
    // The leader renews every few seconds: an edit that meets a renewal (409) reads the Lease again, as a usurper would.
    await("the Lease taken").atMost(Duration.ofSeconds(20)).ignoreExceptionsMatching(
        e -> e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 409).until(() -> {
          ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
          cluster.admin.leases().inNamespace(E2ECluster.OPERATOR_NAMESPACE).withName(LEASE).edit(l -> {
            l.getSpec().setHolderIdentity("e2e-usurper");
            l.getSpec().setAcquireTime(now);
            l.getSpec().setRenewTime(now);
            l.getSpec().setLeaseDurationSeconds(8);
            l.getSpec().setLeaseTransitions(l.getSpec().getLeaseTransitions() == null ? 1 : l.getSpec().getLeaseTransitions() + 1);
            return l;
          });
          return true;
        });
    // The old leader cannot renew: it stops leading and exits rather than act next to a new leader.
    await("the leader that lost its Lease exits").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
        .until(() -> !first.isAlive());
    assertThat(first.process().exitValue()).as("exit code of the replaced leader").isNotZero();
    assertThat(first.forbiddenLines()).isEmpty();

    // The standby takes over once the usurper's Lease expires, and acts.
    second.awaitReady("leader", Duration.ofSeconds(60));
    assertThat(lease(cluster).getSpec().getHolderIdentity()).startsWith(second.identity() + "_");
    cluster.promote(second);
    cluster.kubectl.run("annotate", "jwts", "le-jwt", "-n", NS, "--overwrite",
        "jwt.photoapp.io/invalidate-before=" + Instant.now().truncatedTo(ChronoUnit.MILLIS)).assertOk();
    awaitRotationCount(cluster, 1);
    assertThat(second.logText()).contains("EmergencyRotation");
    second.assertHealthy();
  }

  static Lease lease(E2ECluster cluster) {
    return cluster.admin.leases().inNamespace(E2ECluster.OPERATOR_NAMESPACE).withName(LEASE).get();
  }

  static void awaitRotationCount(E2ECluster cluster, int count) {
    await("le-jwt with rotationCount " + count).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
      JwtSecret js = cluster.jwtSecret(NS, "le-jwt");
      return js != null && js.getStatus() != null && js.getStatus().keyId != null
          && (js.getStatus().rotationCount == null ? 0 : js.getStatus().rotationCount) == count;
    });
  }
}
