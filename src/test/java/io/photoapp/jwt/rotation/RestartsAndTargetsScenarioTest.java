package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.SelectorOperator;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.restart.KeySetAnnotation;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Crash safety, stuck rollouts and every kind of restart target. */
class RestartsAndTargetsScenarioTest extends RotationScenarios {

  @Test
  void anOperatorRestartedBetweenEveryTwoStagesRotatesExactlyOnce() {
    applyJwtSecret();
    String k1 = created().getStatus().keyId;
    request(Labels.ROTATE_AFTER);
    h.poke(NS, NAME);
    String k2 = awaitPhase(Phase.Publishing, js -> true).getStatus().nextKeyId;

    h.stopOperator();
    h.completeRollouts();
    h.clock.advance(Duration.ofMinutes(3));
    h.start();
    awaitPhase(Phase.Switching, js -> k2.equals(js.getStatus().keyId));

    h.stopOperator();
    h.completeRollouts();
    h.start();
    JwtSecret retiring = awaitPhase(Phase.Retiring, js -> true);
    assertThat(retiring.getStatus().previousKeyId).isEqualTo(k1);

    h.stopOperator();
    h.clock.advance(Duration.ofMinutes(16));
    h.start();
    JwtSecret idle = awaitPhase(Phase.Idle, js -> js.getStatus().previousKeyId == null);
    h.completeRollouts();
    assertThat(idle.getStatus().keyId).isEqualTo(k2);
    assertThat(idle.getStatus().rotationCount).isEqualTo(1);
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(k2);
  }

  @Test
  void podsRollingOneByOneWriteNoStatusUntilTheRolloutIsDone() {
    applyJwtSecret(JwtSecrets::direct);
    created();
    request(Labels.ROTATE_AFTER);
    h.poke(NS, NAME);
    JwtSecret switching = awaitPhase(Phase.Switching, js -> true);
    assertThat(Conditions.find(switching.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).orElseThrow().getMessage())
        .startsWith("rolling out key set " + switching.getStatus().keyId + "," + switching.getStatus().previousKeyId
            + " to Deployment backend");
    h.takeWrites();

    // The Deployment controller's steps, as it reports them for 2 replicas: each one is a reconcile.
    int[][] steps = {{1, 0, 0}, {2, 1, 0}, {2, 2, 1}, {3, 2, 1}};
    for (int[] step : steps) {
      deploymentReports(step[0], step[1], step[2]);
    }
    assertThat(h.takeWrites()).as("progress of the pods alone writes nothing")
        .noneMatch(w -> w.contains("/jwtsecrets/") || w.contains("/secrets/") || w.contains("/events"));

    // Done: one status patch says so (with the Secret write that fixes the previous key's expiry).
    deploymentReports(2, 2, 2);
    JwtSecret retiring = awaitPhase(Phase.Retiring, js -> Conditions.isTrue(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE));
    assertThat(retiring.getStatus().previousKeyExpiresAt).isNotNull();
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(h.takeWrites()).filteredOn(w -> w.contains("/jwtsecrets/" + NAME + "/status")).hasSize(1);
  }

  /** Sets the backend's status as the Deployment controller would, and waits for the reconcile it causes. */
  private void deploymentReports(int replicas, int updated, int available) {
    long before = h.successfulReconciles(NS, NAME);
    var d = h.client.apps().deployments().inNamespace(NS).withName("backend").get();
    d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas).withUpdatedReplicas(updated).withAvailableReplicas(available).build());
    h.client.apps().deployments().resource(d).updateStatus();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.successfulReconciles(NS, NAME) > before);
  }

  @Test
  void aStuckRolloutHoldsTheRotationAndReportsATimeout() {
    applyJwtSecret();
    String k1 = created().getStatus().keyId;
    request(Labels.ROTATE_AFTER);
    h.poke(NS, NAME);
    awaitPhase(Phase.Publishing, js -> true);
    // Nobody completes the rollout: past the propagation delay and the timeout, still publishing.
    JwtSecret held = step(() -> h.clock.advance(Duration.ofMinutes(11)), Phase.Publishing,
        js -> Conditions.find(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE)
            .map(c -> Conditions.ROLLOUT_TIMEOUT.equals(c.getReason())).orElse(false));
    assertThat(held.getStatus().keyId).as("keys never switch under pods that cannot verify them").isEqualTo(k1);
    assertThat(h.eventReasons(NS, NAME)).contains("RolloutTimeout");
    // Once it completes, the rotation goes on.
    step(h::completeRollouts, Phase.Switching, js -> true);
  }

  @Test
  void statefulSetsDaemonSetsAndSelectorsAreRolledAndJudged() {
    h.create(Workloads.statefulSet("db").in(NS).optedIn().label("app", "photoapp").replicas(1).container("db", "db:1"));
    h.create(Workloads.daemonSet("agent").in(NS).optedIn().label("app", "photoapp").container("agent", "agent:1"));
    h.apply(JwtSecrets.named("photoapp-jwt")
        .in("photoapp")
        .test()
        .direct()
        .gracePeriod("15m")
        .restarts(Targets.statefulSets().matchLabels(Map.of("app", "photoapp")), Targets.daemonSet("agent"),
            Targets.deployments().matchExpression("tier", SelectorOperator.In, "web")));
    created();
    JwtSecret switching = step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    String keySet = switching.getStatus().keyId + "," + switching.getStatus().previousKeyId;
    String annotation = KeySetAnnotation.nameFor(NAME);
    assertThat(h.client.apps().statefulSets().inNamespace(NS).withName("db").get()
        .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(annotation, keySet);
    assertThat(h.client.apps().daemonSets().inNamespace(NS).withName("agent").get()
        .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(annotation, keySet);
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(keySet);
    assertThat(switching.getStatus().workloads).extracting(w -> w.kind + "/" + w.name)
        .containsExactlyInAnyOrder("StatefulSet/db", "DaemonSet/agent", "Deployment/backend");
    JwtSecret retiring = step(h::completeRollouts, Phase.Retiring, js -> true);
    assertThat(retiring.getStatus().workloads).allMatch(w -> Boolean.TRUE.equals(w.ready));
  }

  @Test
  void targetsThatCannotRollAreReportedAndHoldOnlyWhenWaitedFor() {
    h.client.apps().deployments().inNamespace(NS).withName("backend").edit(d -> {
      d.getSpec().setPaused(true);
      return d;
    });
    h.create(Workloads.deployment("legacy").in(NS).replicas(1).container("legacy", "legacy:1"));
    h.apply(JwtSecrets.named("photoapp-jwt")
        .in("photoapp")
        .test()
        .direct()
        .gracePeriod("15m")
        .restarts(Targets.deployment("backend"), Targets.deployment("legacy"),
            Targets.deployment("not-there").noWait()));
    created();
    JwtSecret held = step(() -> request(Labels.ROTATE_AFTER), Phase.Switching,
        js -> Conditions.find(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE)
            .map(c -> Conditions.UNSUPPORTED_UPDATE_STRATEGY.equals(c.getReason())).orElse(false));
    String message = Conditions.find(held.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).get().getMessage();
    assertThat(message).contains("paused", "legacy", "not-there");
    h.completeRollouts();
    h.poke(NS, NAME);
    assertThat(awaitPhase(Phase.Switching, js -> true).getStatus().previousKeyExpiresAt).isNull();

    // Unpaused, it rolls out and the rotation proceeds; the missing and unlabelled ones never hold it.
    h.client.apps().deployments().inNamespace(NS).withName("backend").edit(d -> {
      d.getSpec().setPaused(false);
      return d;
    });
    h.completeRollouts();
    step(h::completeRollouts, Phase.Retiring, js -> true);
    JwtSecret later = h.get(NS, NAME);
    assertThat(Conditions.find(later.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).get().getReason())
        .isEqualTo(Conditions.TARGET_NOT_OPTED_IN);
  }

  @Test
  void twoJwtSecretsRollingOneDeploymentNeverOverwriteEachOther() {
    applyJwtSecret(JwtSecrets::direct);
    h.apply(JwtSecrets.named("refresh-jwt")
        .in("photoapp")
        .production()
        .direct()
        .gracePeriod("15m")
        .restarts(Targets.deployment("backend")));
    created();
    h.awaitStatus(NS, "refresh-jwt", js -> js.getStatus().keyId != null);
    JwtSecret a = step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    h.client.resources(JwtSecret.class).inNamespace(NS).withName("refresh-jwt").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + Labels.ROTATE_AFTER + "\":\"" + h.clock.instant() + "\"}}}");
    JwtSecret b = h.awaitStatus(NS, "refresh-jwt", js -> js.getStatus().phase == Phase.Switching);
    var annotations = h.client.apps().deployments().inNamespace(NS).withName("backend").get()
        .getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(annotations).containsEntry(KeySetAnnotation.nameFor(NAME), a.getStatus().keyId + "," + a.getStatus().previousKeyId)
        .containsEntry(KeySetAnnotation.nameFor("refresh-jwt"), b.getStatus().keyId + "," + b.getStatus().previousKeyId);
  }

  @Test
  void aRequestReplayedOntoARecreatedJwtSecretDoesNotRotateAgain() {
    applyJwtSecret(JwtSecrets::direct);
    created();
    h.clock.advance(Duration.ofSeconds(1));
    Instant requested = h.clock.instant();
    step(() -> annotate(Labels.ROTATE_AFTER, requested.toString()), Phase.Switching, js -> true);
    step(h::completeRollouts, Phase.Retiring, js -> true);
    String key = step(() -> h.clock.advance(Duration.ofMinutes(16)), Phase.Idle,
        js -> js.getStatus().previousKeyId == null).getStatus().keyId;

    // Deleted with Retain: a plain Secret stays. The same manifest, restored with adopt, rotates nothing.
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).delete();
    org.awaitility.Awaitility.await().until(() -> h.get(NS, NAME) == null);
    // No finalizer: the operator releases the Secret once it sees the owner gone, a moment later.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      var labels = h.secret(NS, NAME).getMetadata().getLabels();
      assertThat(labels == null ? Map.<String, String>of() : labels).doesNotContainKey(Labels.MANAGED);
    });
    h.apply(JwtSecrets.named("photoapp-jwt")
        .in("photoapp")
        .annotate("jwt.photoapp.io/rotate-after", requested.toString())
        .production()
        .adopt()
        .direct()
        .gracePeriod("15m"));
    JwtSecret restored = h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null);
    assertThat(restored.getStatus().keyId).isEqualTo(key);
    assertThat(restored.getStatus().lastRotationReason).isEqualTo("Adopted");
    assertThat(restored.getStatus().phase).isEqualTo(Phase.Idle);
  }

  @Test
  void eachStageRollsOnlyTheOptedInTargetsAndSaysWhichToWhatKeySet() {
    h.create(Workloads.deployment("legacy").in(NS).replicas(1));
    applyJwtSecret(js -> js.direct().restarts(Targets.deployment("legacy")));
    created();
    JwtSecret switching = step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    String keySet = switching.getStatus().keyId + "," + switching.getStatus().previousKeyId;

    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(keySet);
    assertThat(h.keySetOn(NS, "legacy", NAME)).as("a workload without the opt-in label is never patched").isNull();
    assertThat(h.events(NS)).filteredOn(e -> "RolloutStarted".equals(e.getReason())).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo("Rolling Deployment backend to key set " + keySet + " (Switching)"));
  }
}
