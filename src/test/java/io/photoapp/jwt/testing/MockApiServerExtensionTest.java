package io.photoapp.jwt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.photoapp.jwt.testing.MockApiServer.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link MockApiServer} runs a scenario class (one below, run here through the JUnit launcher) on a
 * harness of the lifecycle asked for, fails a scenario whose key shows where a user could read it,
 * and closes the harness when its scope ends.
 */
class MockApiServerExtensionTest {
  /** Not a real key: what a scenario remembered and then let slip. */
  static final String KEY = "guarded-value-for-the-extension-test-0123456789";
  static final List<OperatorHarness> seen = new ArrayList<>();

  @MockApiServer
  static class LeakingScenario {
    @Test
    void putsAKeyInAnEvent(OperatorHarness h, LeakGuard leaks) {
      seen.add(h);
      leaks.remember(KEY);
      h.namespace("leaky", Map.of());
      h.client.v1().events().inNamespace("leaky").resource(new EventBuilder().withNewMetadata().withName("e")
          .endMetadata().withReason("Leaky").withMessage("the key is " + KEY).build()).create();
    }
  }

  @MockApiServer
  static class CleanScenario {
    @Test
    void showsTheKeyNowhere(OperatorHarness h, LeakGuard leaks) {
      seen.add(h);
      leaks.remember(KEY);
      h.namespace("clean", Map.of());
    }

    @Test
    void getsAHarnessOfItsOwn(OperatorHarness h, LeakGuard leaks) {
      seen.add(h);
      leaks.remember(KEY);
    }
  }

  @MockApiServer(harness = Lifecycle.PER_CLASS)
  static class SharedScenario {
    @BeforeAll
    static void first(OperatorHarness h) {
      seen.add(h);
    }

    @Test
    void one(OperatorHarness h, LeakGuard leaks) {
      seen.add(h);
      leaks.remember(KEY);
    }

    @Test
    void two(OperatorHarness h, LeakGuard leaks) {
      seen.add(h);
      leaks.remember(KEY);
    }
  }

  /** Makes no key, and does not say so. */
  @MockApiServer
  static class UnsaidKeylessScenario {
    @Test
    void makesNoKey(OperatorHarness h) {
      h.namespace("quiet", Map.of());
    }
  }

  /** Says it makes no key; one test makes one all the same. */
  @MockApiServer(keys = Keys.NONE)
  static class KeylessScenario {
    @Test
    void makesNoKey(OperatorHarness h) {
      h.namespace("quiet", Map.of());
    }

    @Test
    void makesOneAllTheSame(OperatorHarness h) {
      h.namespace("keyed", Map.of());
      h.create(Secrets.named("s").in("keyed").data("jwt-secret-key", KEY));
    }
  }

  /** Makes keys, but in one test. */
  @MockApiServer
  static class PartlyKeylessScenario {
    @Test
    @MockApiServer.NoKeys
    void makesNoKey(OperatorHarness h) {
      h.namespace("quiet", Map.of());
    }

    @Test
    void makesOne(OperatorHarness h, LeakGuard leaks) {
      leaks.remember(KEY);
    }
  }

  static boolean serving(OperatorHarness h) {
    try (java.net.Socket s = new java.net.Socket("localhost", h.server.getPort())) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static TestExecutionSummary run(Class<?> scenario) {
    seen.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(scenario)).build(),
        listener);
    return listener.getSummary();
  }

  @Test
  void aScenarioWhoseKeyShowsFailsAndTheFailureNamesThePlaceNotTheKey() {
    TestExecutionSummary summary = run(LeakingScenario.class);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    Throwable failure = summary.getFailures().get(0).getException();
    assertThat(failure).hasMessageContaining("event Leaky");
    assertThat(failure.getMessage()).doesNotContain(KEY);
  }

  @Test
  void aGuardThatFoundNoKeyToLookForFailsTheTest() {
    TestExecutionSummary summary = run(UnsaidKeylessScenario.class);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException()).hasMessageContaining("key values to look for");
  }

  @Test
  void aClassThatMakesNoKeySaysSoAndThenFailsATestThatMakesOneWithoutShowingIt() {
    TestExecutionSummary summary = run(KeylessScenario.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    Throwable failure = summary.getFailures().get(0).getException();
    assertThat(failure).hasMessageContaining("keys made or remembered in a scope that says it makes none");
    assertThat(failure.getMessage()).doesNotContain(KEY);
  }

  @Test
  void oneTestOfAClassThatMakesKeysMaySayItMakesNone() {
    TestExecutionSummary summary = run(PartlyKeylessScenario.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
  }

  @Test
  void eachTestGetsAFreshHarnessThatIsClosedAfterIt() {
    TestExecutionSummary summary = run(CleanScenario.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(seen).hasSize(2).doesNotHaveDuplicates();
    // The server's close completes on its own event loop: it may still accept for a moment.
    seen.forEach(h -> org.awaitility.Awaitility.await("the mock API server stops listening")
        .atMost(java.time.Duration.ofSeconds(10)).until(() -> !serving(h)));
  }

  @Test
  void aClassWideHarnessIsSharedByEveryTestAndClosedAfterTheLast() {
    TestExecutionSummary summary = run(SharedScenario.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(seen).hasSize(3).containsOnly(seen.get(0));
    org.awaitility.Awaitility.await("the mock API server stops listening").atMost(java.time.Duration.ofSeconds(10))
        .until(() -> !serving(seen.get(0)));
  }
}
