package io.photoapp.jwt.ops;

import io.photoapp.jwt.api.Phase;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.ToDoubleFunction;

/**
 * The series every JwtSecret has (its gauges, its policy rules and its failure counter), written at
 * scrape time from one small record per JwtSecret. As Micrometer meters they were 12 meters per
 * JwtSecret, each with its id, tags, gauge and Prometheus child: about 4 MiB of heap and resident
 * memory at 1,000 JwtSecrets (bench/RESULTS.md, levers of round 5); the exposition is the same.
 */
final class JwtSecretSeries implements MultiCollector {
  static final String FAILURES = "jwtsecret_rotation_failures";
  static final String VIOLATIONS = "jwtsecret_policy_violations";
  private static final Phase[] PHASES = Phase.values();

  /** One gauge of every JwtSecret: its name, help text and value. */
  private record Gauge(String name, String help, ToDoubleFunction<Values> value) {}

  private final List<Gauge> gauges;
  private final Map<Id, Values> byId = new ConcurrentHashMap<>();

  /** A JwtSecret's namespace and name. */
  record Id(String namespace, String name) {}

  /** What the series of one JwtSecret show. */
  static final class Values {
    volatile boolean observed;
    volatile double lastRotation = Double.NaN;
    volatile double nextRotation = Double.NaN;
    volatile double keyCreated = Double.NaN;
    volatile double ready;
    volatile Phase phase = Phase.Idle;
    volatile double rolloutComplete = 1;
    final DoubleAdder failures = new DoubleAdder();
    /** Rule → 1 while broken, 0 once no longer broken (the series stays until the JwtSecret goes). */
    final Map<String, Double> rules = new ConcurrentHashMap<>(2);
  }

  JwtSecretSeries(Clock clock) {
    this.gauges = List.of(
        new Gauge("jwtsecret_last_rotation_timestamp_seconds", "When the current key became current", v -> v.lastRotation),
        new Gauge("jwtsecret_next_rotation_timestamp_seconds", "When the schedule next rotates the key", v -> v.nextRotation),
        new Gauge("jwtsecret_key_age_seconds", "Age of the current key",
            v -> Double.isNaN(v.keyCreated) ? Double.NaN : clock.millis() / 1000.0 - v.keyCreated),
        new Gauge("jwtsecret_ready", "1 when the Secret holds a current key the profile accepts", v -> v.ready),
        new Gauge("jwtsecret_awaiting_approval",
            "1 while the JwtSecret's switch waits for a person's approval (approval: Manual)",
            v -> v.phase == Phase.AwaitingApproval ? 1 : 0),
        new Gauge("jwtsecret_rollout_complete",
            "1 while every target runs the key set of the last stage (RolloutComplete=True)", v -> v.rolloutComplete));
  }

  /** The record of one JwtSecret, made on first use. */
  Values of(String namespace, String name) {
    return byId.computeIfAbsent(new Id(namespace, name), k -> new Values());
  }

  void forget(String namespace, String name) {
    byId.remove(new Id(namespace, name));
  }

  Iterable<Id> ids() {
    return byId.keySet();
  }

  @Override
  public List<String> getPrometheusNames() {
    List<String> names = new ArrayList<>();
    gauges.forEach(g -> names.add(g.name()));
    names.addAll(List.of("jwtsecret_phase", VIOLATIONS, FAILURES));
    return names;
  }

  /** One pass over the JwtSecrets: each one's labels made once, and each one in all its series or in none. */
  @Override
  public MetricSnapshots collect() {
    if (byId.isEmpty()) {
      return new MetricSnapshots();
    }
    List<GaugeSnapshot.Builder> values = gauges.stream().map(g -> GaugeSnapshot.builder().name(g.name()).help(g.help())).toList();
    GaugeSnapshot.Builder phases = GaugeSnapshot.builder().name("jwtsecret_phase")
        .help("1 for the phase the JwtSecret's rotation is in, 0 for the others");
    GaugeSnapshot.Builder violations = GaugeSnapshot.builder().name(VIOLATIONS).help("1 while the JwtSecret breaks the rule");
    // Every JwtSecret's failure counter, from 0: increase() in an alert sees the first failure too.
    CounterSnapshot.Builder failures = CounterSnapshot.builder().name(FAILURES).help("Reconciles of a JwtSecret that failed");
    byId.forEach((id, v) -> {
      Labels labels = Labels.of("namespace", id.namespace(), "name", id.name());
      failures.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(v.failures.sum()).build());
      v.rules.forEach((rule, value) -> violations.dataPoint(point(labels.add("rule", rule), value)));
      if (!v.observed) {
        return;
      }
      for (int i = 0; i < gauges.size(); i++) {
        values.get(i).dataPoint(point(labels, gauges.get(i).value().applyAsDouble(v)));
      }
      Phase current = v.phase;
      for (Phase p : PHASES) {
        phases.dataPoint(point(labels.add("phase", p.name()), p == current ? 1 : 0));
      }
    });
    List<MetricSnapshot> out = new ArrayList<>();
    values.forEach(b -> out.add(b.build()));
    out.add(phases.build());
    out.add(violations.build());
    out.add(failures.build());
    return new MetricSnapshots(out);
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
