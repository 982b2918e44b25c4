package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.restart.coalesce: three JwtSecrets roll one Deployment, all due at once. Coalesced, each stage
 * changes the pod template once (one rollout), carrying the three key-set annotations, and each JwtSecret
 * still judges the rollout by its own annotation; with {@code coalesce: 0s} each stage rolls it three times.
 */
class CoalescingScenarioTest {
  static final String NS = "photoapp";
  static final String SHARED = "shared";
  static final List<String> NAMES = List.of("a-jwt", "b-jwt", "c-jwt");
  static final String PATCH = "PATCH /apis/apps/v1/namespaces/" + NS + "/deployments/" + SHARED;
  OperatorHarness h;
  LeakGuard leaks;

  @BeforeEach
  void setUp() {
    h = new OperatorHarness();
    leaks = LeakGuard.watch(h);
    h.namespace(NS, Map.of());
    h.deployment(NS, SHARED, Map.of());
    h.start(OperatorConfig.defaults().withMetricsPort(-1));
  }

  @AfterEach
  void tearDown() {
    try {
      leaks.assertNoLeaks();
    } finally {
      leaks.close();
      h.close();
    }
  }

  @Test
  void threeJwtSecretsOnOneDeploymentMakeOneRolloutPerStage() {
    Map<String, Integer> patches = rotateAllThree("30s", true);
    assertThat(patches).containsExactlyEntriesOf(stages(1));
    // The one patch named the JwtSecrets whose key sets it carried.
    assertThat(h.events(NS).stream().filter(e -> "RolloutStarted".equals(e.getReason()))
        .anyMatch(e -> e.getMessage().contains("(one rollout with photoapp/"))).isTrue();
  }

  @Test
  void withoutCoalescingEachJwtSecretRollsTheSharedDeploymentItself() {
    Map<String, Integer> patches = rotateAllThree("0s", false);
    assertThat(patches).containsExactlyEntriesOf(stages(3));
  }

  static Map<String, Integer> stages(int patchesEach) {
    Map<String, Integer> m = new LinkedHashMap<>();
    List.of("publish", "switch", "retire").forEach(s -> m.put(s, patchesEach));
    return m;
  }

  /** Rotates the three in lockstep; the pod-template patches of the shared Deployment, by stage. */
  Map<String, Integer> rotateAllThree(String coalesce, boolean watchTheWait) {
    for (String name : NAMES) {
      h.apply(JwtSecrets.named(name).in(NS).production().timing("@every 720h", "15m", "2m", "10m").coalesce(coalesce)
          .restarts(Targets.deployment(SHARED)));
    }
    Map<String, String> first = new LinkedHashMap<>();
    for (String name : NAMES) {
      first.put(name, h.awaitStatus(NS, name, js -> js.getStatus().keyId != null).getStatus().keyId);
    }
    h.completeRollouts();

    // All three due at the same moment, and the operator's cache knows it of each before that moment comes.
    Instant due = h.clock.instant().plusSeconds(10);
    Map<String, Long> before = new LinkedHashMap<>();
    NAMES.forEach(n -> before.put(n, h.successfulReconciles(NS, n)));
    NAMES.forEach(n -> h.edit(NS, n, js -> {
      js.getMetadata().getAnnotations().put(Labels.ROTATE_AFTER, due.toString());
      return js;
    }));
    NAMES.forEach(n -> Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.successfulReconciles(NS, n) > before.get(n)));
    h.takeRequests();
    Map<String, Integer> patches = new LinkedHashMap<>();

    // Publish. The third JwtSecret's Secret write is slow: the first two wait for it, and say so.
    if (watchTheWait) {
      h.dispatcher.answerSlowly(r -> "PATCH".equals(r.getMethod()) && r.getPath().contains("/secrets/c-jwt"), Duration.ofSeconds(2));
    }
    h.clock.set(due.plusSeconds(1));
    NAMES.forEach(n -> h.poke(NS, n));
    if (watchTheWait) {
      JwtSecret waiting = h.awaitStatus(NS, "a-jwt", js -> Conditions.ROLLOUT_COALESCING.equals(rolloutReason(js)));
      assertThat(rolloutMessage(waiting)).contains("Deployment " + SHARED).contains("photoapp/c-jwt").contains("30s");
    }
    awaitAll(js -> js.getStatus().phase == Phase.Publishing && rolledOut(js));
    patches.put("publish", patchesOfShared());
    for (String name : NAMES) {
      JwtSecret js = h.get(NS, name);
      // Each judges the rollout by its own annotation, which the one patch carried.
      assertThat(h.keySetOn(NS, SHARED, name)).isEqualTo(first.get(name) + "," + js.getStatus().nextKeyId);
    }

    // Switch, once the propagation delay has passed.
    Instant switchedAt = h.clock.instant().plus(Duration.ofMinutes(2)).plusSeconds(1);
    h.clock.set(switchedAt);
    NAMES.forEach(n -> h.poke(NS, n));
    awaitAll(js -> js.getStatus().phase == Phase.Retiring && rolledOut(js));
    patches.put("switch", patchesOfShared());

    // Retire, once the grace period has ended.
    h.clock.set(switchedAt.plus(Duration.ofMinutes(15)).plusSeconds(2));
    NAMES.forEach(n -> h.poke(NS, n));
    awaitAll(js -> js.getStatus().phase == Phase.Idle && js.getStatus().previousKeyId == null && rolledOut(js));
    patches.put("retire", patchesOfShared());
    for (String name : NAMES) {
      JwtSecret js = h.get(NS, name);
      assertThat(js.getStatus().keyId).isNotEqualTo(first.get(name));
      assertThat(h.keySetOn(NS, SHARED, name)).isEqualTo(js.getStatus().keyId);
      assertThat(js.getStatus().rotationCount).isEqualTo(1);
    }
    return patches;
  }

  int patchesOfShared() {
    return (int) h.takeRequests().stream().filter(r -> r.startsWith(PATCH)).count();
  }

  void awaitAll(Predicate<JwtSecret> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      h.completeRollouts();
      return NAMES.stream().allMatch(n -> {
        JwtSecret js = h.get(NS, n);
        return js != null && js.getStatus() != null && condition.test(js);
      });
    });
  }

  static boolean rolledOut(JwtSecret js) {
    return Conditions.isTrue(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE);
  }

  static String rolloutReason(JwtSecret js) {
    return Conditions.find(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).map(c -> c.getReason()).orElse("");
  }

  static String rolloutMessage(JwtSecret js) {
    return Conditions.find(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).map(c -> c.getMessage()).orElse("");
  }
}
