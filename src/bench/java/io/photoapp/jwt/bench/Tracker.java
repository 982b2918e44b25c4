package io.photoapp.jwt.bench;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.photoapp.jwt.api.JwtSecret;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Follows the JwtSecrets of a namespace through a watch and notes when each first meets a goal, so
 * the time until all of them do is known to the arrival of the last event, not to a polling period.
 */
final class Tracker implements ResourceEventHandler<JwtSecret> {
  private final Map<String, JwtSecret> objects = new ConcurrentHashMap<>();
  private final Map<String, Long> reachedAt = new ConcurrentHashMap<>();
  private volatile Predicate<JwtSecret> goal = js -> false;
  /** Every status of one object, as it arrived: to tell which change each status patch carried. */
  private final java.util.List<String> trace = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private volatile String traced;

  void trace(String name) {
    trace.clear();
    traced = name;
  }

  java.util.List<String> traceLines() {
    return java.util.List.copyOf(trace);
  }

  synchronized void expect(Predicate<JwtSecret> goal) {
    this.goal = goal;
    reachedAt.clear();
    objects.values().forEach(this::check);
  }

  private void check(JwtSecret js) {
    if (goal.test(js)) {
      reachedAt.putIfAbsent(js.getMetadata().getName(), System.nanoTime());
    }
  }

  @Override
  public synchronized void onAdd(JwtSecret js) {
    JwtSecret before = objects.put(js.getMetadata().getName(), js);
    if (js.getMetadata().getName().equals(traced) && (before == null
        || !java.util.Objects.equals(io.fabric8.kubernetes.client.utils.Serialization.asJson(before.getStatus()),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(js.getStatus())))) {
      trace.add(java.time.LocalTime.now() + " " + io.fabric8.kubernetes.client.utils.Serialization.asJson(js.getStatus()));
    }
    check(js);
  }

  @Override
  public synchronized void onUpdate(JwtSecret old, JwtSecret js) {
    onAdd(js);
  }

  @Override
  public synchronized void onDelete(JwtSecret js, boolean unknown) {
    objects.remove(js.getMetadata().getName());
    reachedAt.remove(js.getMetadata().getName());
  }

  Collection<JwtSecret> objects() {
    return objects.values();
  }

  /** Seconds from t0 until the count-th object met the goal. */
  double awaitAll(int count, long t0, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reachedAt.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + reachedAt.size() + " of " + count + " reached the goal in " + timeout);
      }
      Thread.sleep(20);
    }
    return (reachedAt.values().stream().mapToLong(Long::longValue).max().orElse(t0) - t0) / 1e9;
  }

  void awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!objects.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(objects.size() + " objects left after " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
