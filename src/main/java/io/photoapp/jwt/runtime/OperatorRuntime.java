package io.photoapp.jwt.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.ops.EventRecorder;
import io.photoapp.jwt.ops.HealthServer;
import io.photoapp.jwt.ops.HeapCompaction;
import io.photoapp.jwt.ops.LeaseRelease;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.ops.RequestRateLimiter;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.reconciler.JwtSecretReconciler;
import io.photoapp.jwt.reconciler.StoreStatusReconciler;
import io.photoapp.jwt.reconciler.Wiring;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator as a running thing: JOSDK operator, reconciler, metrics, health endpoints and the Lease. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
  /** System property: {@code true} keeps the SDK's reconcile metrics per JwtSecret (costly at scale). */
  public static final String SDK_METRICS_PER_RESOURCE = "jwt.operator.sdkMetricsPerResource";
  /** Reconciles running at once. The request rate is bounded by the client's {@link RequestRateLimiter}. */
  public static final int RECONCILE_THREADS = 10;
  /** System property: reconciles running at once instead of {@link #RECONCILE_THREADS} (the chart's reconcileThreads). */
  public static final String RECONCILE_THREADS_PROPERTY = "jwt.operator.reconcileThreads";
  /** How long {@link #close()} waits for the reconciles in flight. */
  public static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(10);
  /**
   * System property: how long a managed Secret whose JwtSecret is gone waits before it is released
   * (ISO-8601, default {@link JwtSecretReconciler#DEFAULT_ORPHAN_GRACE}); tests shorten it.
   */
  public static final String ORPHAN_GRACE = "jwt.operator.orphanGrace";

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final OperatorMetrics metrics;
  private final JwtSecretReconciler reconciler;
  private final Operator operator;
  private final String identity;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean leader;
  private volatile String currentLeader = "";
  private volatile boolean alive = true;
  private volatile Runnable onLostLeadership = () -> new Thread(this::close, "lost-leadership").start();
  private HealthServer health;
  /** Removes the metric series of deleted JwtSecrets that a delete event did not (see {@link #METRICS_SWEEP}). */
  private final java.util.concurrent.ScheduledExecutorService sweeper =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metrics-sweep");
        t.setDaemon(true);
        return t;
      });
  /** How often the old generation is checked for garbage to give back (HeapCompaction); the first check after half. */
  static final Duration HEAP_CHECK = Duration.ofSeconds(60);
  /** How often the metric series of JwtSecrets no longer in the cache are removed. */
  public static final Duration METRICS_SWEEP = Duration.ofSeconds(30);
  private Duration metricsSweep = METRICS_SWEEP;

  public OperatorRuntime(KubernetesClient client, OperatorConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.identity = newIdentity();
    this.metrics = new OperatorMetrics(clock);
    this.reconciler = Wiring.jwtSecretReconciler(client, clock, metrics, new EventRecorder(client, clock),
        new KeyGenerator(), config.fieldManager(), config.allowInsecureStores());
    reconciler.orphans().writeOnlyWhen(this::isLeader).grace(orphanGrace());
    // jwtsecret_workload_findings: computed from the caches at each scrape, by the leader; no workload is written.
    metrics.beforeScrape(() -> metrics.workloadFindings(isLeader() ? reconciler.workloadFindingCounts() : Map.of()));
    reconciler.limitConcurrentRollouts(config.maxConcurrentRollouts());
    this.operator = new Operator(this::configure);
    operator.register(reconciler, o -> {
      if (!config.namespaces().isEmpty()) {
        o.settingNamespaces(config.namespaces());
      }
    });
    StoreStatusReconciler.register(operator, client, clock, config.allowInsecureStores(), config.namespaces());
  }

  private void configure(ConfigurationServiceOverrider o) {
    int reconcileThreads = reconcileThreads();
    o.withKubernetesClient(client)
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false)
        .withConcurrentReconciliationThreads(reconcileThreads)
        // The SDK's fixed pool, with threads that end when idle (IdleThreads).
        .withExecutorService(io.photoapp.jwt.kube.IdleThreads.fixedPool("reconciler", reconcileThreads))
        .withReconciliationTerminationTimeout(TERMINATION_TIMEOUT)
        // The informers' first lists at start-up (--cache-sync-timeout): the SDK's 2 minutes were too
        // short for 10,000 Deployments on a slow API server, and the operator exited.
        .withCacheSyncTimeout(config.cacheSyncTimeout())
        .withResourceCloner(this::cloneResource)
        // Per controller, not per resource: the SDK's per-resource meters (timers with percentile
        // histograms) held about 40 MiB of heap at 1,000 JwtSecrets (bench/RESULTS.md); the
        // operator's own jwtsecret_* metrics are per resource already. The system property
        // SDK_METRICS_PER_RESOURCE turns them back on for diagnosis (the tests count reconciles with them).
        .withMetrics(Boolean.getBoolean(SDK_METRICS_PER_RESOURCE)
            ? MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(metrics.registry()).build()
            : MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()));
    if (config.leaderElection()) {
      o.withLeaderElectionConfiguration(leaderElection());
    }
  }

  /** The SDK's clone (through JSON), keeping what a JwtSecret could not read so that it is reported. */
  private <R extends HasMetadata> R cloneResource(R resource) {
    R copy = client.getKubernetesSerialization().clone(resource);
    if (resource instanceof JwtSecret original && copy instanceof JwtSecret cloned) {
      cloned.keepUnrecognizedOf(original);
    }
    // A store's unreadable field, likewise (a spec read tolerantly names it; JSON does not carry it).
    if (resource instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> original
        && original.getSpec() instanceof io.photoapp.jwt.api.StoreSpec spec && spec.unreadable != null
        && copy instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> cloned
        && cloned.getSpec() instanceof io.photoapp.jwt.api.StoreSpec copied) {
      copied.unreadable = spec.unreadable;
    }
    return copy;
  }

  private LeaderElectionConfiguration leaderElection() {
    OperatorConfig.LeaseTimings t = config.leaseTimings();
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
        .withLeaseNamespace(config.leaseNamespace())
        .withIdentity(identity)
        .withLeaseDuration(t.leaseDuration())
        .withRenewDeadline(t.renewDeadline())
        .withRetryPeriod(t.retryPeriod())
        .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
        // The SDK's exit would run inside close() too; stoppedLeading tells the two apart.
        .withExitOnStopLeading(false)
        .build();
  }

  /** Pod name (HOSTNAME) plus a random suffix, as client-go does: unique even for two runtimes in one process. */
  private static String newIdentity() {
    String host = System.getenv("HOSTNAME");
    String suffix = UUID.randomUUID().toString();
    return host == null || host.isBlank() ? suffix : host + "_" + suffix;
  }

  private static int reconcileThreads() {
    int threads = Integer.getInteger(RECONCILE_THREADS_PROPERTY, RECONCILE_THREADS);
    if (threads < 1) {
      LOG.warn("ignoring {}={}: at least 1", RECONCILE_THREADS_PROPERTY, threads);
      return RECONCILE_THREADS;
    }
    return threads;
  }

  private static Duration orphanGrace() {
    String value = System.getProperty(ORPHAN_GRACE);
    try {
      return value == null || value.isBlank() ? JwtSecretReconciler.DEFAULT_ORPHAN_GRACE : Duration.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      LOG.warn("ignoring {}={}: not an ISO-8601 duration", ORPHAN_GRACE, value);
      return JwtSecretReconciler.DEFAULT_ORPHAN_GRACE;
    }
  }

  private void startedLeading() {
    leader = true;
    // What happened while no replica led (owners deleted): the caches may still be syncing, so after a while.
    reconciler.orphans().resync(Duration.ofSeconds(5));
    LOG.info("became leader ({}): reconciling", identity);
  }

  private void stoppedLeading() {
    leader = false;
    if (closed.get()) {
      return;
    }
    // Another replica holds the Lease now: reconciling on would make two writers.
    LOG.error("lost the Lease {}/{}: stopping", config.leaseNamespace(), config.leaseName());
    alive = false;
    onLostLeadership.run();
  }

  private void newLeader(String id) {
    currentLeader = id == null ? "" : id;
    LOG.info("leader is {}", currentLeader.isEmpty() ? "nobody" : currentLeader);
  }

  /**
   * What to do when this replica loses the Lease while running (it cannot win it back: the SDK's
   * elector does not restart). The default stops this runtime and fails /healthz; the run command
   * exits the process instead.
   */
  public OperatorRuntime onLostLeadership(Runnable action) {
    this.onLostLeadership = Objects.requireNonNull(action);
    return this;
  }

  /** Another key request limit than the default 3 in 10 minutes (the demo rotates every 20 seconds); before start. */
  public OperatorRuntime limitKeyRequests(KeyRequestThrottle.Limit limit) {
    reconciler.limitKeyRequests(limit);
    return this;
  }

  /** How often the series of deleted JwtSecrets are swept from the metrics (default {@link #METRICS_SWEEP}); before start. */
  public OperatorRuntime sweepMetricsEvery(Duration period) {
    this.metricsSweep = Objects.requireNonNull(period);
    return this;
  }

  /** Starts the health server (unless the port is negative) and the operator. */
  public OperatorRuntime start() throws IOException {
    if (config.metricsPort() >= 0) {
      health = new HealthServer(config.metricsPort(), metrics::scrape, () -> alive, this::readiness);
      LOG.info("metrics and health on :{}", health.port());
    }
    try {
      operator.start();
      // The SDK's pool that started the informers side by side: its idle threads end soon (IdleThreads).
      io.photoapp.jwt.kube.IdleThreads.shorten(operator.getConfigurationService().getExecutorServiceManager().cachingExecutorService());
      if (!config.leaderElection()) {
        // The caches have synced: release what lost its owner while the operator was down.
        reconciler.orphans().resync(Duration.ZERO);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    sweeper.scheduleWithFixedDelay(() -> {
      try {
        reconciler.sweepMetrics();
      } catch (RuntimeException e) {
        LOG.warn("sweeping metric series: {}", e.toString());
      }
    }, metricsSweep.toMillis(), metricsSweep.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    // On the same thread: the old generation's promoted garbage given back (HeapCompaction), once a minute at most.
    HeapCompaction.forThisJvm().ifPresent(compaction -> sweeper.scheduleWithFixedDelay(compaction,
        HEAP_CHECK.toSeconds() / 2, HEAP_CHECK.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    return this;
  }

  /** Ready once the informers have synced, whether this replica leads or stands by. */
  public HealthServer.Readiness readiness() {
    if (closed.get()) {
      return new HealthServer.Readiness(false, "stopping");
    }
    RuntimeInfo info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return new HealthServer.Readiness(false, "starting");
    }
    if (!info.allEventSourcesAreHealthy()) {
      String unhealthy = info.unhealthyEventSources().entrySet().stream()
          .flatMap(c -> c.getValue().keySet().stream().map(s -> c.getKey() + "/" + s))
          .sorted().collect(Collectors.joining(", "));
      return new HealthServer.Readiness(false, "informers not synced: " + unhealthy);
    }
    if (!config.leaderElection()) {
      return new HealthServer.Readiness(true, "ready");
    }
    return leader ? new HealthServer.Readiness(true, "leader")
        : new HealthServer.Readiness(true, "standby" + (currentLeader.isEmpty() ? "" : " (leader: " + currentLeader + ")"));
  }

  /** True when this replica reconciles: always without leader election, else while it holds the Lease. */
  public boolean isLeader() {
    return !config.leaderElection() || leader;
  }

  /** This replica's holder identity in the Lease. */
  public String leaseIdentity() {
    return identity;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public JwtSecretReconciler reconciler() {
    return reconciler;
  }

  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  public Operator operator() {
    return operator;
  }

  /**
   * Stops taking new work, waits up to {@link #TERMINATION_TIMEOUT} for the reconciles in flight,
   * then gives the Lease up so that a standby takes over at once. Safe to call twice.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    reconciler.orphans().close();
    sweeper.shutdownNow();
    try {
      operator.stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping the operator: {}", e.getMessage());
    }
    if (config.leaderElection()) {
      LeaseRelease.release(client, config.leaseNamespace(), config.leaseName(), identity);
    }
    leader = false;
    if (health != null) {
      health.close();
    }
  }
}
