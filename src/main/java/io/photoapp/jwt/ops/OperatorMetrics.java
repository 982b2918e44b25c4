package io.photoapp.jwt.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.photoapp.jwt.api.Phase;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.concurrent.ConcurrentHashMap;

/** The operator's Prometheus metrics (DESIGN section 7). Values are key ids and times, never keys. */
public class OperatorMetrics {
  private static final String WORKLOAD_RESTARTS = "jwtsecret_workload_restarts_total";
  private static final String UNREADABLE = "jwtsecret_unreadable_objects_total";
  static final String WORKLOAD_FINDINGS = "jwtsecret_workload_findings";
  private final PrometheusMeterRegistry registry;
  private final JwtSecretSeries perJwtSecret;
  private final Map<List<String>, double[]> workloadFindings = new ConcurrentHashMap<>();
  private final List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();

  public OperatorMetrics(Clock clock) {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
  }

  public OperatorMetrics(PrometheusMeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.perJwtSecret = new JwtSecretSeries(clock);
    registry.getPrometheusRegistry().register(perJwtSecret);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric, after the values computed at scrape time are updated. */
  public String scrape() {
    for (Runnable r : beforeScrape) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // A gauge that cannot be computed keeps its last value; the page is still served.
        org.slf4j.LoggerFactory.getLogger(OperatorMetrics.class).warn("computing metrics at scrape time: {}", e.toString());
      }
    }
    return registry.scrape();
  }

  /** Runs before every {@link #scrape()}: for gauges computed from the caches when they are read. */
  public void beforeScrape(Runnable update) {
    beforeScrape.add(update);
  }

  /**
   * Sets {@code jwtsecret_workload_findings{namespace,rule}} to these counts of findings on the cached
   * workloads; the series of a namespace and rule no longer found are removed.
   */
  public synchronized void workloadFindings(Map<io.photoapp.jwt.audit.WorkloadFindingCounts.Key, Integer> counts) {
    Set<List<String>> current = new HashSet<>();
    counts.forEach((key, count) -> {
      List<String> id = List.of(key.namespace(), key.rule());
      current.add(id);
      workloadFindings.computeIfAbsent(id, k -> {
        double[] holder = new double[1];
        Gauge.builder(WORKLOAD_FINDINGS, holder, h -> h[0])
            .description("Findings of the audit's workload rules on the workloads the operator caches")
            .tags("namespace", key.namespace(), "rule", key.rule()).register(registry);
        return holder;
      })[0] = count;
    });
    workloadFindings.keySet().removeIf(id -> !current.contains(id));
    registry.getMeters().stream().filter(m -> WORKLOAD_FINDINGS.equals(m.getId().getName()))
        .filter(m -> !current.contains(List.of(m.getId().getTag("namespace"), m.getId().getTag("rule"))))
        .forEach(registry::remove);
  }

  public void rotated(String namespace, String name, String reason) {
    Counter.builder("jwtsecret_rotations_total").description("Key rotations, by reason")
        .tags("namespace", namespace, "name", name, "reason", reason).register(registry).increment();
  }

  public void rotationFailed(String namespace, String name) {
    perJwtSecret.of(namespace, name).failures.add(1);
  }

  /** Failed pushes to one external store (io.photoapp.jwt.push); register it at 0 once the target is known. */
  public Counter pushFailures(String namespace, String name, String target) {
    return Counter.builder("jwtsecret_push_failures_total").description("Pushes of keys to an external store that failed")
        .tags("namespace", namespace, "name", name, "target", target).register(registry);
  }

  /** A JwtSecret with fields this operator could not read (see {@link UnreadableObjects}). */
  public void unreadableObject(String namespace) {
    Counter.builder(UNREADABLE)
        .description("JwtSecrets with fields of a wrong type or an unknown value, read as absent and reported as InvalidSpec")
        .tags("namespace", namespace).register(registry).increment();
  }

  public void workloadRestarted(String namespace, String kind, String name) {
    Counter.builder(WORKLOAD_RESTARTS).description("Pod-template patches that roll a workload")
        .tags("namespace", namespace, "kind", kind, "name", name).register(registry).increment();
  }

  /** The cluster-wide rollout gauges ({@code --max-concurrent-rollouts}): workloads rolling, and patches queued. */
  public void rolloutSlots(java.util.function.IntSupplier rolling, java.util.function.IntSupplier queued) {
    // Strong references: the suppliers are lambdas that nothing else holds.
    Gauge.builder("jwtsecret_rollouts_in_flight", rolling, IntSupplierValue::of).strongReference(true)
        .description("Workloads the operator is rolling now (at most --max-concurrent-rollouts)").register(registry);
    Gauge.builder("jwtsecret_rollouts_queued", queued, IntSupplierValue::of).strongReference(true)
        .description("Workload patches waiting for a slot under --max-concurrent-rollouts").register(registry);
  }

  private static final class IntSupplierValue {
    static double of(java.util.function.IntSupplier s) {
      return s.getAsInt();
    }
  }

  /** Updates the gauges of one JwtSecret; times may be null when unknown, and {@code violatedRules} null leaves the rules as they were. */
  public void observe(String namespace, String name, Instant lastRotation, Instant nextRotation, Instant keyCreated,
      boolean ready, Set<String> violatedRules) {
    JwtSecretSeries.Values v = perJwtSecret.of(namespace, name);
    v.lastRotation = seconds(lastRotation);
    v.nextRotation = seconds(nextRotation);
    v.keyCreated = seconds(keyCreated);
    v.ready = ready ? 1 : 0;
    v.observed = true;
    if (violatedRules != null) {
      v.rules.replaceAll((rule, was) -> 0.0);
      violatedRules.forEach(rule -> v.rules.put(rule, 1.0));
    }
  }

  /**
   * Where the JwtSecret's rotation stands: {@code jwtsecret_phase} is 1 for {@code phase} and 0 for the
   * other phases; {@code jwtsecret_rollout_complete} is 1 while its RolloutComplete condition is True.
   */
  public void observeStage(String namespace, String name, Phase phase, boolean rolloutComplete) {
    JwtSecretSeries.Values v = perJwtSecret.of(namespace, name);
    v.phase = phase == null ? Phase.Idle : phase;
    v.rolloutComplete = rolloutComplete ? 1 : 0;
    v.observed = true;
  }

  /**
   * Removes every series of a deleted JwtSecret: its gauges, its counters (rotations, failures, push
   * failures per target) and its policy rules, so that the metrics page does not grow with every
   * JwtSecret ever seen. Workload series are removed by {@link #retainWorkloads}.
   */
  public void forget(String namespace, String name) {
    perJwtSecret.forget(namespace, name);
    registry.getMeters().stream()
        .filter(m -> isPerJwtSecret(m.getId()))
        .filter(m -> namespace.equals(m.getId().getTag("namespace")) && name.equals(m.getId().getTag("name")))
        .forEach(registry::remove);
  }

  /** Forgets every JwtSecret with series here that {@code exists} denies (a sweep against the cache). */
  public void retainJwtSecrets(BiPredicate<String, String> exists) {
    Set<List<String>> gone = new HashSet<>();
    for (Meter m : registry.getMeters()) {
      String ns = m.getId().getTag("namespace");
      String name = m.getId().getTag("name");
      if (isPerJwtSecret(m.getId()) && ns != null && name != null && !exists.test(ns, name)) {
        gone.add(List.of(ns, name));
      }
    }
    for (JwtSecretSeries.Id id : perJwtSecret.ids()) {
      if (!exists.test(id.namespace(), id.name())) {
        gone.add(List.of(id.namespace(), id.name()));
      }
    }
    gone.forEach(g -> forget(g.get(0), g.get(1)));
  }

  /** Removes the restart counters of workloads that {@code targeted(namespace, kind, name)} denies. */
  public void retainWorkloads(WorkloadPredicate targeted) {
    registry.getMeters().stream()
        .filter(m -> WORKLOAD_RESTARTS.equals(m.getId().getName()))
        .filter(m -> !targeted.test(m.getId().getTag("namespace"), m.getId().getTag("kind"), m.getId().getTag("name")))
        .forEach(registry::remove);
  }

  /** Whether some JwtSecret still targets a workload. */
  @FunctionalInterface
  public interface WorkloadPredicate {
    boolean test(String namespace, String kind, String name);
  }

  /** Series named for one JwtSecret (a workload's restart counter is named for the workload). */
  private static boolean isPerJwtSecret(Meter.Id id) {
    return id.getName().startsWith("jwtsecret_") && !WORKLOAD_RESTARTS.equals(id.getName())
        && !UNREADABLE.equals(id.getName()) && !WORKLOAD_FINDINGS.equals(id.getName());
  }

  private static double seconds(Instant t) {
    return t == null ? Double.NaN : t.toEpochMilli() / 1000.0;
  }
}
