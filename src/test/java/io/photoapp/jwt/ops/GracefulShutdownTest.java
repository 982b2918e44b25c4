package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.runtime.OperatorRuntime;
import io.photoapp.jwt.testing.Endpoints;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import io.photoapp.jwt.testing.OperatorHarness;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What SIGTERM does (the run command's shutdown hook calls {@link OperatorRuntime#close()}). */
@MockApiServer
class GracefulShutdownTest {
  static final Duration SLOW_ANSWER = Duration.ofMillis(1500);
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
    h.namespace("photoapp", Map.of());
  }

  static OperatorConfig replica() {
    // A lease far longer than the test: a quick takeover can only come from the release.
    return OperatorConfig.defaults().withMetricsPort(0).withLeaderElection("jwt-system", "jwt-secret-operator")
        .withLeaseTimings(new OperatorConfig.LeaseTimings(Duration.ofSeconds(60), Duration.ofSeconds(40),
            Duration.ofMillis(200)));
  }

  @Test
  void closeDuringAReconcileLetsItFinishThenReleasesTheLease() {
    OperatorRuntime first = h.launch(replica());
    await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
    int port = first.healthPort();
    // The API server answers the Secret's creation slowly: the reconcile is in flight meanwhile.
    h.dispatcher.answerSlowly(r -> r.getMethod().equals("POST") && r.getPath().contains("/secrets"), SLOW_ANSWER);
    h.apply(JwtSecrets.named("photoapp-jwt").in("photoapp").development());
    await().atMost(Duration.ofSeconds(10)).until(() -> !h.dispatcher.slowed().isEmpty());

    first.close();

    JwtSecret js = h.get("photoapp", "photoapp-jwt");
    assertThat(js.getStatus()).as("the reconcile in flight wrote its status before close returned").isNotNull();
    assertThat(js.getStatus().keyId).isNotNull();
    assertThat(h.client.leases().inNamespace("jwt-system").withName("jwt-secret-operator").get().getSpec()
        .getHolderIdentity()).as("released").isEmpty();
    assertThat(first.readiness()).isEqualTo(new HealthServer.Readiness(false, "stopping"));
    assertThat(portClosed(port)).isTrue();

    OperatorRuntime second = h.launch(replica());
    await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
  }

  @Test
  @NoKeys
  void closingTwiceIsHarmless() {
    OperatorRuntime runtime = h.launch(OperatorConfig.defaults().withMetricsPort(0));
    runtime.close();
    runtime.close();
    assertThat(runtime.readiness().ready()).isFalse();
  }

  static boolean portClosed(int port) {
    try {
      Endpoints.get(port, "/healthz");
      return false;
    } catch (UncheckedIOException e) {
      return e.getCause() instanceof ConnectException;
    }
  }
}
