package io.photoapp.jwt.ops;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.reconciler.JwtSecretReconciler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator as a running thing: JOSDK operator, reconciler, metrics and health endpoints. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
  /** Reconciles running at once; with the SDK's rate limiting this bounds the request rate. */
  public static final int RECONCILE_THREADS = 10;

  private final Operator operator;
  private final OperatorMetrics metrics;
  private final JwtSecretReconciler reconciler;
  private HealthServer health;
  private volatile boolean leader;

  public OperatorRuntime(KubernetesClient client, OperatorConfig config, Clock clock) {
    this.metrics = new OperatorMetrics(clock);
    this.reconciler = new JwtSecretReconciler(client, clock, metrics, new EventRecorder(client, clock),
        new KeyGenerator(), config.fieldManager());
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(RECONCILE_THREADS)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
          // Per controller, not per resource: the SDK's per-resource meters (timers with percentile
          // histograms) held about 40 MiB of heap at 1,000 JwtSecrets (bench/RESULTS.md); the
          // operator's own jwtsecret_* metrics are per resource already.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()));
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(), config.leaseNamespace(),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
            new io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks(
                () -> { leader = true; LOG.info("became leader"); },
                () -> { leader = false; LOG.info("stopped leading"); },
                id -> LOG.info("leader is {}", id)), false));
      }
    });
    operator.register(reconciler, o -> {
      if (!config.namespaces().isEmpty()) {
        o.settingNamespaces(config.namespaces());
      }
    });
    this.leaderElection = config.leaderElection();
    this.metricsPort = config.metricsPort();
  }

  private final boolean leaderElection;
  private final int metricsPort;

  /** Starts the health server (unless the port is negative) and the operator. */
  public OperatorRuntime start() throws IOException {
    if (metricsPort >= 0) {
      health = new HealthServer(metricsPort, metrics::scrape, () -> true, this::readiness);
      LOG.info("metrics and health on :{}", health.port());
    }
    operator.start();
    return this;
  }

  public HealthServer.Readiness readiness() {
    RuntimeInfo info = operator.getRuntimeInfo();
    if (!info.allEventSourcesAreHealthy()) {
      return new HealthServer.Readiness(false, "informers not healthy");
    }
    if (leaderElection && !leader) {
      return new HealthServer.Readiness(true, "standby");
    }
    return new HealthServer.Readiness(true, leaderElection ? "leader" : "ready");
  }

  public boolean isLeader() {
    return !leaderElection || leader;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
    if (health != null) {
      health.close();
    }
  }
}
