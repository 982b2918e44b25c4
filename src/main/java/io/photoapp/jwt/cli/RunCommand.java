package io.photoapp.jwt.cli;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.photoapp.jwt.kube.ClusterTrust;
import io.photoapp.jwt.kube.IdleThreads;
import io.photoapp.jwt.kube.OperatorSerialization;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.runtime.OperatorRuntime;
import io.photoapp.jwt.ops.RequestRateLimiter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the operator against the current kubeconfig or the in-cluster config. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run the operator. Each option can also be set as JWT_OPERATOR_<NAME> in the environment,",
        "e.g. JWT_OPERATOR_METRICS_PORT=9090; a flag on the command line wins."})
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  private static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(names = "--namespaces", defaultValue = "", description = "Comma-separated namespaces to watch (default: all).")
  String namespaces;

  @Option(names = "--metrics-port", defaultValue = "8080", description = "Port of /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--field-manager", defaultValue = OperatorConfig.DEFAULT_FIELD_MANAGER,
      description = "Field manager of the operator's patches (default: ${DEFAULT-VALUE}).")
  String fieldManager;

  @Option(names = "--leader-election", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "Elect a leader with a Lease so several replicas run with one active (default: ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = OperatorConfig.DEFAULT_LEASE_NAME, description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-namespace", defaultValue = "", description = "Namespace of the Lease (default: the pod's namespace, else default).")
  String leaseNamespace;

  @Option(names = "--max-requests-per-second", defaultValue = "" + OperatorConfig.DEFAULT_MAX_REQUESTS_PER_SECOND,
      description = "Requests to the API server per second (watches and Lease renewals aside), after a burst of a "
          + "fifth of that, however many JwtSecrets fall due at once (default: ${DEFAULT-VALUE}).")
  int maxRequestsPerSecond;

  @Option(names = "--max-concurrent-rollouts", defaultValue = "" + OperatorConfig.DEFAULT_MAX_CONCURRENT_ROLLOUTS,
      description = "Workloads rolled at once across the cluster; further patches queue, emergencies first, then by due "
          + "time (default: ${DEFAULT-VALUE}).")
  int maxConcurrentRollouts;

  @Option(names = "--cache-sync-timeout", defaultValue = "10m", paramLabel = "DURATION",
      description = "How long the informers may take to list what they watch at start-up (JwtSecrets, Secrets, "
          + "workloads) before the operator gives up and exits; more than 0, at most 1h, e.g. 90s, 10m, 1h "
          + "(default: ${DEFAULT-VALUE}).")
  String cacheSyncTimeout;

  @Option(names = "--allow-insecure-stores", defaultValue = "false", arity = "0..1", fallbackValue = "true",
      description = "Let JwtSecretStores and ClusterJwtSecretStores use plain http (development and tests only; "
          + "default: ${DEFAULT-VALUE}).")
  boolean allowInsecureStores;

  @Option(names = "--log-level", defaultValue = "INFO", description = "TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--log-format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
  String logFormat;

  @Override
  public Integer call() throws Exception {
    if (!Set.of("text", "json").contains(logFormat)) {
      System.err.println("error: --log-format must be text or json");
      return 2;
    }
    if (maxRequestsPerSecond < 1) {
      System.err.println("error: --max-requests-per-second must be at least 1");
      return 2;
    }
    if (maxConcurrentRollouts < 1) {
      System.err.println("error: --max-concurrent-rollouts must be at least 1");
      return 2;
    }
    try {
      cacheSyncTimeout();
    } catch (IllegalArgumentException e) {
      System.err.println("error: --cache-sync-timeout: " + e.getMessage());
      return 2;
    }
    Logging.configure(Level.toLevel(logLevel, Level.INFO), "json".equals(logFormat));
    OperatorConfig config = config();
    // Every request the operator sends passes its rate limiter (README, Load).
    // Knows the operator's kinds only: no class path scan of every model class (OperatorSerialization).
    // The API server is trusted through its cluster's CA alone (ClusterTrust).
    io.fabric8.kubernetes.client.Config kube = io.fabric8.kubernetes.client.Config.autoConfigure(null);
    // Idle pooled threads end after a few seconds, not a minute (IdleThreads).
    KubernetesClient client = new KubernetesClientBuilder().withConfig(kube).withKubernetesSerialization(OperatorSerialization.create())
        .withHttpClientFactory(new IdleThreads.HttpClients()).withTaskExecutor(IdleThreads.cachedPool("kubernetes-client"))
        .withHttpClientBuilderConsumer(http -> {
          RequestRateLimiter.install(http, config);
          ClusterTrust.install(http, kube);
        }).build();
    OperatorRuntime runtime = new OperatorRuntime(client, config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(0);
    // The SDK cannot win a lost Lease back: exit, and let the kubelet start a fresh standby.
    runtime.onLostLeadership(() -> {
      exitCode.set(1);
      stopped.countDown();
    });
    // SIGTERM: stop taking work, wait up to OperatorRuntime.TERMINATION_TIMEOUT for the
    // reconciles in flight, then release the Lease so that a standby takes over at once.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: finishing the reconciles in flight and releasing the lease");
      runtime.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    runtime.start();
    LOG.info("jwt-secret-operator running; namespaces: {}", config.namespaces().isEmpty() ? "all" : config.namespaces());
    stopped.await();
    return exitCode.get();
  }

  OperatorConfig config() {
    Set<String> ns = new LinkedHashSet<>();
    Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ns::add);
    String leaseNs = leaseNamespace;
    if (leaseNs == null || leaseNs.isBlank()) {
      try {
        leaseNs = Files.exists(POD_NAMESPACE) ? Files.readString(POD_NAMESPACE).trim() : "default";
      } catch (java.io.IOException e) {
        leaseNs = "default";
      }
    }
    return new OperatorConfig(ns, metricsPort, fieldManager, leaderElection, leaseName, leaseNs,
        OperatorConfig.LeaseTimings.DEFAULT, maxRequestsPerSecond, allowInsecureStores, maxConcurrentRollouts,
        cacheSyncTimeout());
  }

  /** {@code --cache-sync-timeout}; {@link IllegalArgumentException} saying why when it is no duration or out of range. */
  Duration cacheSyncTimeout() {
    return OperatorConfig.checkCacheSyncTimeout(io.photoapp.jwt.spec.Durations.parse(cacheSyncTimeout));
  }
}
