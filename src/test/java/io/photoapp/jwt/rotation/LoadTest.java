package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.runtime.OperatorRuntime;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * 500 JwtSecrets fall due at the same instant (the operator was down past their due time): every
 * one rotates once, and the operator's request rate stays under the bound the README states.
 */
@MockApiServer
class LoadTest {
  static final int NAMESPACES = 10;
  static final int PER_NAMESPACE = 50;
  static final int TOTAL = NAMESPACES * PER_NAMESPACE;
  /** The README's bound: the requests the limiter lets go in any one second, the rate and a burst. */
  static final int REQUESTS_PER_SECOND_BOUND = OperatorConfig.defaults().maxRequestsPerSecond()
      + OperatorConfig.defaults().requestBurst();
  /**
   * The server counts requests when they arrive, in wall-clock seconds: one that left in the second
   * before may land in the next, at most one per thread that sends (the reconcile threads).
   */
  static final int IN_FLIGHT = OperatorRuntime.RECONCILE_THREADS;
  OperatorHarness h;

  static String ns(int i) {
    return "load-" + i;
  }

  List<JwtSecret> all() {
    return h.client.resources(JwtSecret.class).inAnyNamespace().list().getItems();
  }

  long count(Predicate<JwtSecret> condition) {
    return all().stream().filter(js -> js.getStatus() != null && condition.test(js)).count();
  }

  void awaitAll(String what, Predicate<JwtSecret> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    long n;
    while ((n = count(condition)) < TOTAL) {
      assertThat(System.nanoTime()).as("waiting for " + what + ": " + n + " of " + TOTAL).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void fiveHundredJwtSecretsDueAtOnceAllRotateOnceWithinTheRequestRateBound(OperatorHarness harness) throws InterruptedException {
    h = harness;
    // Made while the operator is down: on its start, 500 first keys are due at once too.
    for (int i = 0; i < NAMESPACES; i++) {
      h.namespace(ns(i), Map.of());
      for (int j = 0; j < PER_NAMESPACE; j++) {
        h.apply(JwtSecrets.named("app-" + j)
            .in(ns(i))
            .production()
            .direct()
            .schedule("@every 720h")
            .gracePeriod("15m"));
      }
    }
    long started = System.nanoTime();
    List<ReconcileRate> rates = new java.util.ArrayList<>();
    rates.add(startOperator());
    awaitAll("the first keys", js -> js.getStatus().keyId != null && js.getStatus().phase == Phase.Idle);
    Map<String, String> firstKeys = new HashMap<>();
    all().forEach(js -> firstKeys.put(js.getMetadata().getNamespace() + "/" + js.getMetadata().getName(), js.getStatus().keyId));

    // Down past the due time of all of them: on its return every one is due at once.
    h.stopOperator();
    h.clock.advance(Duration.ofDays(30).plusMinutes(1));
    rates.add(startOperator());
    awaitAll("the switch", js -> js.getStatus().phase == Phase.Retiring && Integer.valueOf(1).equals(js.getStatus().rotationCount));

    // And down again past the grace period: every previous key retires at once.
    h.stopOperator();
    h.clock.advance(Duration.ofMinutes(16));
    rates.add(startOperator());
    awaitAll("the retirement", js -> js.getStatus().phase == Phase.Idle && js.getStatus().previousKeyId == null);
    for (ReconcileRate r : rates) {
      r.stop();
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    for (JwtSecret js : all()) {
      String id = js.getMetadata().getNamespace() + "/" + js.getMetadata().getName();
      assertThat(js.getStatus().rotationCount).as(id).isEqualTo(1);
      assertThat(js.getStatus().keyId).as(id).isNotEqualTo(firstKeys.get(id));
    }
    int peak = h.dispatcher.peakOperatorRequestsPerSecond();
    int total = h.dispatcher.operatorRequestsPerSecond().values().stream().mapToInt(Integer::intValue).sum();
    int reconcilePeak = rates.stream().mapToInt(ReconcileRate::peak).max().orElseThrow();
    System.out.printf("load: %d first keys and rotations in %.1fs, %d requests, peak %d requests/s (bound %d), peak %d reconciles/s%n",
        TOTAL, seconds, total, peak, REQUESTS_PER_SECOND_BOUND, reconcilePeak);
    assertThat(peak).as("peak requests per second").isLessThanOrEqualTo(REQUESTS_PER_SECOND_BOUND + IN_FLIGHT);
  }

  @Test
  void theReadmeStatesTheBound() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    assertThat(readme).contains(OperatorConfig.DEFAULT_MAX_REQUESTS_PER_SECOND + " requests per second")
        .contains("bursts of " + OperatorConfig.defaults().requestBurst())
        .contains("at most " + OperatorRuntime.RECONCILE_THREADS + " reconciles run at once")
        .contains("at most " + REQUESTS_PER_SECOND_BOUND + " requests in any one second");
  }

  private ReconcileRate startOperator() {
    h.start();
    return new ReconcileRate(h.operator());
  }

  /** Samples the SDK's count of started reconciles; the peak is the most in any one second. */
  static final class ReconcileRate {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger peak = new AtomicInteger();
    private final Thread sampler;

    ReconcileRate(OperatorRuntime operator) {
      sampler = new Thread(() -> {
        java.util.ArrayDeque<double[]> window = new java.util.ArrayDeque<>();
        while (running.get()) {
          long now = System.nanoTime();
          double started = operator.metrics().registry().find("operator.sdk.reconciliations.started").counters().stream()
              .mapToDouble(Counter::count).sum();
          window.addLast(new double[] {now, started});
          while (now - window.peekFirst()[0] > 1_000_000_000L) {
            window.removeFirst();
          }
          peak.accumulateAndGet((int) (started - window.peekFirst()[1]), Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "reconcile-rate");
      sampler.setDaemon(true);
      sampler.start();
    }

    int peak() {
      return peak.get();
    }

    void stop() throws InterruptedException {
      running.set(false);
      sampler.join();
    }
  }
}
