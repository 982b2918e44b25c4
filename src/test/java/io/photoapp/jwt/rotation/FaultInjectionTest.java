package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.photoapp.jwt.testing.ApiServerDispatcher.Fault;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.SecretHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server fails the operator's Nth write of a staged rotation, for every N and in every way
 * it can fail (409, 429, 500, a dropped connection, a reply lost after the write landed, a slow
 * reply, a rejection that quotes the request): the rotation still happens exactly once, no key
 * leaves while a live token may need it, Secret, status and pod templates agree at the end, and no
 * key shows in a log line, an exception, an Event, a status or the metrics page.
 *
 * <p>Each (fault, N) has a namespace of its own with one JwtSecret and one Deployment; all of them
 * rotate in lockstep on one API server and one operator, so the whole matrix costs one rotation's
 * worth of waiting plus the retries the faults cause.
 */
@MockApiServer(harness = Lifecycle.PER_CLASS, leakGuard = Lifecycle.PER_CLASS)
class FaultInjectionTest {
  /** More than the writes of one rotation (a test below checks it), so every write is failed once. */
  static final int POSITIONS = 30;
  static final String BASELINE = "no-fault";
  static OperatorHarness h;
  static SecretHistory history;
  static StagedRotationDriver driver;

  static String namespace(Fault fault, int n) {
    return fault.name().toLowerCase().replace('_', '-') + "-" + n;
  }

  static Stream<Arguments> faults() {
    return Arrays.stream(Fault.values()).flatMap(f -> IntStream.rangeClosed(1, POSITIONS).mapToObj(n -> Arguments.of(f, n)));
  }

  @BeforeAll
  static void rotateEveryJwtSecretOnceUnderItsFault(OperatorHarness harness) {
    h = harness;
    h.start();
    history = SecretHistory.watch(h.client, h.clock);
    List<String> namespaces = new ArrayList<>();
    namespaces.add(BASELINE);
    faults().forEach(a -> namespaces.add(namespace((Fault) a.get()[0], (Integer) a.get()[1])));
    driver = new StagedRotationDriver(h, namespaces, history);
    driver.create();
    h.dispatcher.countWrites(BASELINE);
    faults().forEach(a -> h.dispatcher.failWrite(namespace((Fault) a.get()[0], (Integer) a.get()[1]),
        (Integer) a.get()[1], (Fault) a.get()[0]));
    driver.rotate();
  }

  @AfterAll
  static void stopWatching() {
    history.close();
  }

  @ParameterizedTest(name = "{0} at write {1}")
  @MethodSource("faults")
  void theRotationHappensOnceAndNoKeyLeavesEarly(Fault fault, int n) {
    String ns = namespace(fault, n);
    // A write the server refuses for good is given up; for an Event that is by design (events are best effort).
    boolean refusedEvent = fault == Fault.REJECTED_WITH_ECHO && h.dispatcher.writes(ns).stream()
        .anyMatch(w -> w.contains("/events") && w.endsWith("-> " + fault));
    List<String> broken = new ArrayList<>(driver.brokenPromises(ns, refusedEvent));
    double rotations = h.operator().metrics().registry().find("jwtsecret_rotations_total").tag("namespace", ns)
        .counters().stream().mapToDouble(Counter::count).sum();
    if (rotations != 1) {
      broken.add("jwtsecret_rotations_total counts " + rotations);
    }
    assertThat(broken).as("broken promises; the operator's writes were: " + h.dispatcher.writes(ns)).isEmpty();
  }

  @Test
  void theFaultsHitEveryWriteOfARotation() {
    List<String> writes = h.dispatcher.writes(BASELINE);
    assertThat(writes).as("writes of one rotation").hasSizeBetween(10, POSITIONS - 2);
    for (Fault fault : Fault.values()) {
      for (int n = 1; n <= POSITIONS; n++) {
        String ns = namespace(fault, n);
        // A rotation's write count varies by a status write or two; past its end there is nothing to fail.
        assertThat(h.dispatcher.faultFired(ns) || h.dispatcher.writes(ns).size() < n)
            .as(fault + " at write " + n + " of " + h.dispatcher.writes(ns).size()).isTrue();
      }
    }
  }
}
