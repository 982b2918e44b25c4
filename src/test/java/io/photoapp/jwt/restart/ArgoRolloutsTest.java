package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.TargetKind;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A Rollout judged as {@code kubectl argo rollouts status} would, from what its controller writes. */
class ArgoRolloutsTest {

  static GenericKubernetesResource rollout(String spec, String status) {
    return Serialization.unmarshal("""
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: web
          namespace: app
          generation: 4
          labels: {"jwt.photoapp.io/restartable": "true"}
          annotations: {"jwt.photoapp.io/key-set.a": "k1,k2", "note": "dropped"}
        spec: {replicas: 3, %s template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: web:1,
          env: [{name: SECRET, value: not-kept}]}]}}}
        status: {%s}
        """.formatted(spec, status), GenericKubernetesResource.class);
  }

  static Stream<Arguments> table() {
    String restarted = "restartAt: \"2026-11-28T06:00:00Z\",";
    return Stream.of(
        Arguments.of("healthy, generation observed (a string, as Argo writes it)", "",
            "observedGeneration: \"4\", phase: Healthy, updatedReplicas: 3, availableReplicas: 3", null),
        Arguments.of("generation not yet observed", "", "observedGeneration: \"3\", phase: Healthy, updatedReplicas: 3, availableReplicas: 3",
            "the controller has not yet observed generation 4"),
        Arguments.of("restart asked for, not yet done", restarted,
            "observedGeneration: \"4\", phase: Healthy, updatedReplicas: 3, availableReplicas: 3", "restarting its pods"),
        Arguments.of("restart done", restarted, "observedGeneration: \"4\", phase: Healthy, updatedReplicas: 3, availableReplicas: 3,"
            + " restartedAt: \"2026-11-28T06:00:00Z\"", null),
        Arguments.of("replicas still coming up", "", "observedGeneration: \"4\", phase: Progressing, updatedReplicas: 3, availableReplicas: 2",
            "2 of 3 replicas available"),
        Arguments.of("paused at a canary step", "", "observedGeneration: \"4\", phase: Paused, updatedReplicas: 3, availableReplicas: 3",
            "phase Paused"),
        Arguments.of("degraded", "", "observedGeneration: \"4\", phase: Degraded, updatedReplicas: 1, availableReplicas: 1", "phase Degraded"),
        Arguments.of("no status yet", "", "", "the controller has not yet observed generation 4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void judgesTheRolloutByItsStatus(String name, String spec, String status, String waiting) {
    WorkloadView v = WorkloadView.of(rollout(spec, status));
    assertThat(v.kind()).isEqualTo(TargetKind.Rollout);
    assertThat(v.notRolledOut().orElse(null)).isEqualTo(waiting);
    assertThat(v.rolledOut()).isEqualTo(waiting == null);
  }

  @Test
  void aPausedRolloutCannotRollAndItsKeySetIsReadFromItsMetadata() {
    WorkloadView v = WorkloadView.of(rollout("paused: true,", "observedGeneration: \"4\", phase: Paused"));
    assertThat(v.unsupportedStrategy()).contains("Rollout web is paused");
    assertThat(v.annotation("jwt.photoapp.io/key-set.a")).isEqualTo("k1,k2");
  }

  @Test
  void theCacheKeepsWhatTheDecisionReadsAndNoEnvValueOrOtherAnnotation() {
    GenericKubernetesResource cached = WorkloadCopies.forCache(rollout("restartAt: \"2026-11-28T06:00:00Z\",",
        "observedGeneration: \"4\", phase: Healthy, updatedReplicas: 3, availableReplicas: 3, restartedAt: \"2026-11-28T06:00:00Z\","
            + " canary: {weights: {}}"));
    String json = Serialization.asJson(cached);
    assertThat(json).doesNotContain("not-kept").doesNotContain("note").doesNotContain("canary");
    assertThat(WorkloadView.of(cached)).usingRecursiveComparison().ignoringFields("template")
        .isEqualTo(WorkloadView.of(rollout("restartAt: \"2026-11-28T06:00:00Z\",", "observedGeneration: \"4\", phase: Healthy,"
            + " updatedReplicas: 3, availableReplicas: 3, restartedAt: \"2026-11-28T06:00:00Z\"")));
  }

  @Test
  void theRestartPatchSetsRestartAtToTheSecondAndTheKeySetOnTheRolloutsMetadata() {
    Map<String, Object> patch = ArgoRollouts.restartPatch("jwt.photoapp.io/key-set.a", "k2,k1",
        Instant.parse("2026-11-28T06:00:01.734Z"));
    assertThat(Serialization.asJson(patch)).contains("\"restartAt\":\"2026-11-28T06:00:01Z\"")
        .contains("\"annotations\":{\"jwt.photoapp.io/key-set.a\":\"k2,k1\"}").doesNotContain("template");
  }
}
