package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The workload caches keep what a rollout decision reads, and nothing a tenant can make large. */
class WorkloadCopiesTest {
  static Deployment example(String file, int document) throws Exception {
    return Serialization.unmarshal(Files.readString(Path.of("examples", file)).split("\n---\n")[document], Deployment.class);
  }

  static final String STATUS = """
      status:
        observedGeneration: 3
        replicas: 3
        updatedReplicas: 2
        readyReplicas: 3
        availableReplicas: 3
        conditions:
          - {type: Progressing, status: "False", reason: ProgressDeadlineExceeded, message: "a long message"}
      """;

  static Stream<Arguments> workloads() throws Exception {
    Deployment withStatus = example("photoapp-deployment.yaml", 0);
    withStatus.setStatus(Serialization.unmarshal(STATUS, Deployment.class).getStatus());
    withStatus.getMetadata().setGeneration(4L);
    withStatus.getSpec().getTemplate().getMetadata().getAnnotations().put(Labels.KEY_SET_PREFIX + "photoapp-jwt", "a,b");
    Deployment paused = example("photoapp-deployment-file.yaml", 0);
    paused.getSpec().setPaused(true);
    StatefulSet partitioned = Serialization.unmarshal("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: photoapp, generation: 2, labels: {app: db}}
        spec:
          replicas: 2
          updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 1, maxUnavailable: 1}}
          template:
            metadata: {annotations: {"jwt.photoapp.io/key-set.db": "k1", other: x}}
            spec:
              containers:
                - name: db
                  envFrom: [{secretRef: {name: photoapp-jwt}}, {prefix: X_, configMapRef: {name: settings}}]
        status: {observedGeneration: 2, replicas: 2, readyReplicas: 1, updatedReplicas: 1, currentRevision: r1, updateRevision: r2}
        """, StatefulSet.class);
    DaemonSet onDelete = Serialization.unmarshal("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: photoapp, generation: 1}
        spec:
          updateStrategy: {type: OnDelete}
          template:
            spec:
              volumes:
                - name: keys
                  projected: {sources: [{secret: {name: photoapp-jwt, items: [{key: jwks-secret.json, path: jwks.json}]}}]}
              containers: [{name: agent, image: agent:1}]
        status: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2}
        """, DaemonSet.class);
    Deployment verifier = example("jwtsecret-signing-es256.yaml", 2);
    return Stream.of(Arguments.of("example Deployment, mid-rollout", withStatus), Arguments.of("paused file-mount Deployment", paused),
        Arguments.of("partitioned StatefulSet", partitioned), Arguments.of("OnDelete DaemonSet", onDelete),
        Arguments.of("verifier of the public keys", verifier));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void theCopyGivesTheSameRolloutDecision(String name, HasMetadata workload) {
    HasMetadata copy = WorkloadCopies.forCache(workload);
    WorkloadView original = WorkloadView.of(workload);
    WorkloadView cached = WorkloadView.of(copy);
    assertThat(cached).usingRecursiveComparison().ignoringFields("template", "templateAnnotations").isEqualTo(original);
    // Of the template's annotations, the decision reads only the operator's key sets.
    original.templateAnnotations().forEach((key, value) -> assertThat(cached.annotation(key))
        .isEqualTo(key.startsWith(Labels.KEY_SET_PREFIX) ? value : null));
    for (String secret : List.of("photoapp-jwt", "photoapp-signing", "other")) {
      for (String jwks : java.util.Arrays.asList(null, "photoapp-signing-jwks", "settings")) {
        assertThat(PublishAwareness.readsNextKey(cached.template(), secret, "jwt-secret-key-next", jwks))
            .as("%s reads the next key of %s (ConfigMap %s)", name, secret, jwks)
            .isEqualTo(PublishAwareness.readsNextKey(original.template(), secret, "jwt-secret-key-next", jwks));
      }
    }
  }

  /**
   * The operator's clients skip the fields nobody reads (kube.ReadFields): what they read of a workload gives the
   * same cached copy, facts for the workload rules included, as reading every field. A field that WorkloadCopies or
   * WorkloadFacts starts to read and ReadFields skips fails here (the examples set it).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void theOperatorsClientReadsAllThatTheCopyKeeps(String name, HasMetadata workload) throws Exception {
    HasMetadata rich = Serialization.unmarshal(Serialization.asJson(workload), workload.getClass());
    io.fabric8.kubernetes.api.model.PodSpec spec = rich instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
        : rich instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec() : ((DaemonSet) rich).getSpec().getTemplate().getSpec();
    if (spec.getVolumes() == null) {
      spec.setVolumes(new java.util.ArrayList<>());
    }
    if (spec.getContainers().get(0).getEnv() == null) {
      spec.getContainers().get(0).setEnv(new java.util.ArrayList<>());
    }
    spec.getContainers().get(0).getEnv().addAll(List.of(
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("JWT_SECRET_KEY").withValue("super-secret-key-in-the-chart-values").build(),
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("DEBUG").withValue("true").build(),
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("JWT_SECRET").withNewValueFrom().withNewSecretKeyRef("key", "other", false)
            .endValueFrom().build(),
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("POD").withNewValueFrom().withNewFieldRef("v1", "metadata.name")
            .endValueFrom().build()));
    spec.getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    spec.setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewNodeAffinity().endNodeAffinity().build());
    rich.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));
    String json = Serialization.asJson(rich);

    HasMetadata read = io.photoapp.jwt.kube.OperatorSerialization.create().unmarshal(json, workload.getClass());

    assertThat(Serialization.asJson(WorkloadCopies.forCache(read))).isEqualTo(Serialization.asJson(WorkloadCopies.forCache(rich)));
    assertThat(WorkloadCopies.factsOf(WorkloadCopies.forCache(read))).isEqualTo(WorkloadCopies.factsOf(WorkloadCopies.forCache(rich)));
    assertThat(WorkloadView.of(read)).usingRecursiveComparison().ignoringFields("template").isEqualTo(WorkloadView.of(rich));
  }

  @Test
  void whatATenantCanMakeLargeStaysOutOfTheCache() throws Exception {
    Deployment d = example("photoapp-deployment.yaml", 0);
    String big = "x".repeat(200 * 1024);
    d.getMetadata().getAnnotations().put("kubectl.kubernetes.io/last-applied-configuration", big);
    d.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));
    d.getSpec().getTemplate().getMetadata().getAnnotations().put("notes", big);
    d.getSpec().getTemplate().getMetadata().getAnnotations().put(Labels.KEY_SET_PREFIX + "forged", big);
    d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .add(new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("BLOB").withValue(big).build());
    for (int i = 0; i < 2000; i++) {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().add(new io.fabric8.kubernetes.api.model.EnvVarBuilder()
          .withName("JWT_SECRET_" + i).withValue("password" + i).build());
    }
    assertThat(Serialization.asJson(d).length()).isGreaterThan(800 * 1024);

    Deployment copy = WorkloadCopies.forCache(d);
    assertThat(Serialization.asJson(copy).length()).as("characters of the cached copy").isLessThan(4 * 1024);
    assertThat(copy.getMetadata().getLabels()).isEqualTo(d.getMetadata().getLabels());
  }

  @Test
  void theCopyKeepsWhatTheWorkloadRulesReadButNoValue() throws Exception {
    String literal = "super-secret-key-in-the-chart-values";
    Deployment d = example("photoapp-deployment.yaml", 0);
    d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().addAll(List.of(
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("JWT_SECRET_KEY").withValue(literal).build(),
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("DEBUG").withValue("true").build()));

    Deployment copy = WorkloadCopies.forCache(d);
    // The SDK may clone a cached object through JSON: the facts survive that too.
    Deployment cloned = Serialization.unmarshal(Serialization.asJson(copy), Deployment.class);

    for (Deployment c : List.of(copy, cloned)) {
      var facts = WorkloadCopies.factsOf(c).orElseThrow();
      assertThat(facts.containers().get(0).literalKeys()).extracting(l -> l.variable() + ":" + l.valueFindings().stream()
          .map(io.photoapp.jwt.policy.Finding::rule).toList()).containsExactly("JWT_SECRET_KEY:[weak-key, entropy]");
      assertThat(facts.containers().get(0).debugOn()).containsExactly("DEBUG");
    }
    assertThat(Serialization.asJson(copy)).doesNotContain(literal);
    assertThat(copy.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .noneMatch(e -> e.getValue() != null);
    // The file-mount example sets JWT_SECRET_KEY_FILE to a path: no literal key.
    assertThat(WorkloadCopies.factsOf(WorkloadCopies.forCache(example("photoapp-deployment-file.yaml", 0))).orElseThrow()
        .containers()).allMatch(c -> c.literalKeys().isEmpty());
  }
}
