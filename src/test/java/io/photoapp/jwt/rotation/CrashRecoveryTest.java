package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.SecretHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator dies right after one of its writes of a staged rotation, and a fresh one takes over on
 * the same API server: to the server, nothing the dead operator would have written next arrives.
 * For each write in turn: the rotation still happens exactly once and no key leaves early.
 *
 * <p>Each crash position has a namespace of its own; all rotate in lockstep, and whenever one of
 * them reaches its crash point the operator is stopped and a fresh one started (the other
 * namespaces take the restart wherever they stand, which is one more crash for them).
 */
@MockApiServer(harness = Lifecycle.PER_CLASS, leakGuard = Lifecycle.PER_CLASS)
class CrashRecoveryTest {
  static final int POSITIONS = 30;
  static OperatorHarness h;
  static SecretHistory history;
  static StagedRotationDriver driver;
  static final List<String> restarts = new ArrayList<>();

  static String namespace(int n) {
    return "crash-after-" + n;
  }

  static IntStream positions() {
    return IntStream.rangeClosed(1, POSITIONS);
  }

  @BeforeAll
  static void rotateEveryJwtSecretOnceWithItsCrash(OperatorHarness harness) {
    h = harness;
    history = SecretHistory.watch(h.client, h.clock);
    h.start();
    List<String> namespaces = positions().mapToObj(CrashRecoveryTest::namespace).toList();
    driver = new StagedRotationDriver(h, namespaces, history);
    driver.create();
    positions().forEach(n -> h.dispatcher.freezeAfterWrite(namespace(n), n));
    driver.onTick(() -> {
      List<String> crashed = namespaces.stream().filter(h.dispatcher::frozen).toList();
      if (!crashed.isEmpty()) {
        h.stopOperator();
        crashed.forEach(h.dispatcher::thaw);
        restarts.add(String.join(",", crashed));
        h.start();
      }
    });
    driver.rotate();
  }

  @AfterAll
  static void stopWatching() {
    history.close();
  }

  @ParameterizedTest(name = "crash after write {0}")
  @MethodSource("positions")
  void theRotationHappensOnceAndNoKeyLeavesEarly(int n) {
    String ns = namespace(n);
    assertThat(driver.brokenPromises(ns, true)).as("broken promises; the operator's writes were: "
        + h.dispatcher.writes(ns)).isEmpty();
  }

  @Test
  void theCrashesHitEveryWriteOfARotation() {
    for (int n = 1; n <= POSITIONS; n++) {
      String ns = namespace(n);
      List<String> writes = h.dispatcher.writes(ns);
      boolean crashed = restarts.stream().anyMatch(r -> List.of(r.split(",")).contains(ns));
      assertThat(crashed || writes.size() < n).as("crash after write " + n + " of " + writes.size()).isTrue();
    }
    assertThat(positions().filter(n -> h.dispatcher.writes(namespace(n)).size() < n))
        .as("positions past the end of a rotation: every write had its crash").isNotEmpty();
  }
}
