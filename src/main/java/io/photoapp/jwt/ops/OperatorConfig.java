package io.photoapp.jwt.ops;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the running operator is configured (DESIGN section 7).
 *
 * @param namespaces watched namespaces; empty means all
 * @param metricsPort port of /metrics, /healthz and /readyz; 0 picks a free port, negative serves none
 * @param leaseTimings how long a Lease lasts and how often it is renewed; tests shorten them
 * @param maxRequestsPerSecond requests (watches and Lease renewals aside) the operator sends per
 *     second, after a burst of a fifth of that (README, Load; {@link RequestRateLimiter})
 * @param allowInsecureStores whether stores may use plain http (development and tests only)
 * @param maxConcurrentRollouts workloads the operator rolls at once across the cluster; the rest queue
 * @param cacheSyncTimeout how long the informers may take to list what they watch at start-up before
 *     the operator gives up and exits (the SDK's default is 2 minutes; 10,000 Deployments on a slow
 *     API server took longer)
 */
public record OperatorConfig(
    Set<String> namespaces,
    int metricsPort,
    String fieldManager,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    LeaseTimings leaseTimings,
    int maxRequestsPerSecond,
    boolean allowInsecureStores,
    int maxConcurrentRollouts,
    Duration cacheSyncTimeout) {
  public static final int DEFAULT_MAX_CONCURRENT_ROLLOUTS = 10;
  public static final String DEFAULT_FIELD_MANAGER = "jwt-secret-operator";
  public static final int DEFAULT_MAX_REQUESTS_PER_SECOND = 500;
  public static final String DEFAULT_LEASE_NAME = "jwt-secret-operator";
  public static final Duration DEFAULT_CACHE_SYNC_TIMEOUT = Duration.ofMinutes(10);
  /** Longest start-up wait: a list that takes longer is better fixed (list limit, API server) than waited for. */
  public static final Duration MAX_CACHE_SYNC_TIMEOUT = Duration.ofHours(1);

  /** Leader-election timings, as client-go names them. */
  public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    /** The SDK's defaults (15s, 10s, 2s): a new leader within about 15s of a crash. */
    public static final LeaseTimings DEFAULT = new LeaseTimings(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);

    public LeaseTimings {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      Objects.requireNonNull(retryPeriod, "retryPeriod");
      if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new IllegalArgumentException("lease timings need retryPeriod < renewDeadline < leaseDuration");
      }
    }
  }

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(fieldManager, "fieldManager");
    Objects.requireNonNull(leaseTimings, "leaseTimings");
    if (maxRequestsPerSecond < 1) {
      throw new IllegalArgumentException("max requests per second must be at least 1, not " + maxRequestsPerSecond);
    }
    if (maxConcurrentRollouts < 1) {
      throw new IllegalArgumentException("max concurrent rollouts must be at least 1, not " + maxConcurrentRollouts);
    }
    checkCacheSyncTimeout(cacheSyncTimeout);
  }

  /** The timeout itself; {@link IllegalArgumentException} unless it is positive and at most {@link #MAX_CACHE_SYNC_TIMEOUT}. */
  public static Duration checkCacheSyncTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "cacheSyncTimeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_CACHE_SYNC_TIMEOUT) > 0) {
      throw new IllegalArgumentException("the cache sync timeout must be more than 0 and at most 1h, not "
          + timeout.toSeconds() + "s");
    }
    return timeout;
  }

  /** With the default cache sync timeout. */
  public OperatorConfig(Set<String> namespaces, int metricsPort, String fieldManager, boolean leaderElection, String leaseName,
      String leaseNamespace, LeaseTimings leaseTimings, int maxRequestsPerSecond, boolean allowInsecureStores,
      int maxConcurrentRollouts) {
    this(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings, maxRequestsPerSecond,
        allowInsecureStores, maxConcurrentRollouts, DEFAULT_CACHE_SYNC_TIMEOUT);
  }

  /** Waits up to {@code timeout} for the informers' first lists at start-up. */
  public OperatorConfig withCacheSyncTimeout(Duration timeout) {
    return new OperatorConfig(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings,
        maxRequestsPerSecond, allowInsecureStores, maxConcurrentRollouts, timeout);
  }

  /** With the default cap of concurrent rollouts. */
  public OperatorConfig(Set<String> namespaces, int metricsPort, String fieldManager, boolean leaderElection, String leaseName,
      String leaseNamespace, LeaseTimings leaseTimings, int maxRequestsPerSecond, boolean allowInsecureStores) {
    this(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings, maxRequestsPerSecond,
        allowInsecureStores, DEFAULT_MAX_CONCURRENT_ROLLOUTS);
  }

  /** At most {@code max} workloads rolling at once. */
  public OperatorConfig withMaxConcurrentRollouts(int max) {
    return new OperatorConfig(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings,
        maxRequestsPerSecond, allowInsecureStores, max, cacheSyncTimeout);
  }

  /** Without plain-http stores. */
  public OperatorConfig(Set<String> namespaces, int metricsPort, String fieldManager, boolean leaderElection, String leaseName,
      String leaseNamespace, LeaseTimings leaseTimings, int maxRequestsPerSecond) {
    this(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings, maxRequestsPerSecond,
        false);
  }

  /** Stores may (true) or may not use plain http. */
  public OperatorConfig withAllowInsecureStores(boolean allow) {
    return new OperatorConfig(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings,
        maxRequestsPerSecond, allow, maxConcurrentRollouts, cacheSyncTimeout);
  }

  /** Requests that may go at once before the rate applies: a fifth of a second's worth (100 at 500). */
  public int requestBurst() {
    return Math.max(1, maxRequestsPerSecond / 5);
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(Set.of(), 8080, DEFAULT_FIELD_MANAGER, false, DEFAULT_LEASE_NAME, "default",
        LeaseTimings.DEFAULT, DEFAULT_MAX_REQUESTS_PER_SECOND);
  }

  public OperatorConfig withNamespaces(Set<String> ns) {
    return new OperatorConfig(ns, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings, maxRequestsPerSecond, allowInsecureStores, maxConcurrentRollouts, cacheSyncTimeout);
  }

  public OperatorConfig withMetricsPort(int port) {
    return new OperatorConfig(namespaces, port, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings, maxRequestsPerSecond, allowInsecureStores, maxConcurrentRollouts, cacheSyncTimeout);
  }

  /** Leader election on, with the Lease {@code namespace/name}. */
  public OperatorConfig withLeaderElection(String namespace, String name) {
    return new OperatorConfig(namespaces, metricsPort, fieldManager, true, name, namespace, leaseTimings, maxRequestsPerSecond, allowInsecureStores, maxConcurrentRollouts, cacheSyncTimeout);
  }

  public OperatorConfig withMaxRequestsPerSecond(int perSecond) {
    return new OperatorConfig(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, leaseTimings,
        perSecond, allowInsecureStores, maxConcurrentRollouts, cacheSyncTimeout);
  }

  public OperatorConfig withLeaseTimings(LeaseTimings timings) {
    return new OperatorConfig(namespaces, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace, timings, maxRequestsPerSecond, allowInsecureStores, maxConcurrentRollouts, cacheSyncTimeout);
  }
}
