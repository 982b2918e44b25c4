package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Argo Rollouts on a real API server: the Rollout CRD installed (no controller), the chart's RBAC with
 * {@code argoRollouts.enabled=true}, the operator restarted so that it finds both. A JwtSecret whose
 * target is a Rollout restarts it through {@code spec.restartAt} at every stage, with its key-set
 * annotation on the Rollout's metadata (its pod template untouched), and judges the rollout from the
 * status the test writes as the Argo Rollouts controller would: the stage waits until then.
 */
@ExtendWith(ClusterExtension.class)
class ArgoRolloutsE2E {
  static final String NS = "e2e-argo";
  static final String NAME = "argo-jwt";
  static final String ROLLOUT = "argo-backend";
  static final String ANNOTATION = "jwt.photoapp.io/key-set." + NAME;
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder().withGroup("argoproj.io")
      .withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true).build();

  static final String MANIFESTS = """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata:
        name: argo-backend
        labels:
          app: argo-backend
          jwt.photoapp.io/restartable: "true"
      spec:
        replicas: 2
        selector:
          matchLabels: { app: argo-backend }
        template:
          metadata:
            labels: { app: argo-backend }
          spec:
            containers:
              - name: backend
                image: ghcr.io/photoapp/backend:1.0
                env:
                  - name: JWT_SECRET_KEY
                    valueFrom: { secretKeyRef: { name: argo-jwt, key: jwt-secret-key } }
                  - name: JWT_SECRET_KEY_NEXT
                    valueFrom: { secretKeyRef: { name: argo-jwt, key: jwt-secret-key-next, optional: true } }
        strategy:
          canary:
            steps: [{ setWeight: 50 }, { pause: {} }]
      ---
      apiVersion: jwt.photoapp.io/v1alpha1
      kind: JwtSecret
      metadata:
        name: argo-jwt
      spec:
        environment: test
        token:
          accessTokenExpireMinutes: 1
        rotation:
          schedule: "@every 720h"
          strategy: Staged
          propagationDelay: 2s
          gracePeriod: 5s
          rolloutTimeout: 2m
        restart:
          targets:
            - kind: Rollout
              name: argo-backend
      """;

  @Test
  void aRolloutIsRestartedThroughRestartAtAndJudgedByItsStatus(E2ECluster cluster) throws Exception {
    cluster.kubectl.run("apply", "-f", "src/test/resources/e2e/argo-rollouts-crd.yaml").assertOk();
    cluster.kubectl.run("wait", "--for", "condition=established", "--timeout", "60s",
        "customresourcedefinition/rollouts.argoproj.io").assertOk();
    // The chart's RBAC with argoRollouts.enabled, for the same ServiceAccount; then a replica that
    // starts with the CRD and the right in place takes over from the one that started without them.
    E2ECluster.ChartAccount account = E2ECluster.chartAccount(cluster.admin, cluster.kubectl, cluster.adminConfig(),
        cluster.workDir, E2ECluster.RELEASE, Map.of("argoRollouts.enabled", "true"));
    Kubectl asOperator = cluster.kubectl.as(account.kubeconfig());
    assertThat(asOperator.run("auth", "can-i", "patch", "rollouts.argoproj.io", "-n", NS).out().trim()).isEqualTo("yes");
    assertThat(asOperator.run("auth", "can-i", "update", "rollouts.argoproj.io/status", "-n", NS).out().trim()).isEqualTo("no");
    OperatorProcess before = cluster.operator;
    OperatorProcess argo = cluster.startReplica("operator-argo");
    before.close();
    argo.awaitReady("leader", TIMEOUT);
    cluster.promote(argo);
    assertThat(argo.logText()).doesNotContain("Argo Rollouts cannot be read");

    cluster.namespace(NS);
    cluster.apply(NS, MANIFESTS);
    // Healthy before any restart, as the controller reports a Rollout it has brought up.
    playController(cluster);
    JwtSecretStatus created = awaitStatus(cluster, "the first key", s -> s.keyId != null && isTrue(s, "RolloutComplete"));
    String k0 = created.keyId;
    assertThat(spec(rollout(cluster)).get("restartAt")).as("no restart for the first key").isNull();

    // Publish: the Rollout is restarted through spec.restartAt, and the stage waits for its status.
    cluster.kubectl.run("annotate", "jwts", NAME, "-n", NS, "--overwrite",
        "jwt.photoapp.io/rotate-after=" + Instant.now().truncatedTo(ChronoUnit.MILLIS)).assertOk();
    GenericKubernetesResource restarted = await("the publish restart").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> rollout(cluster), r -> spec(r).get("restartAt") != null);
    String publishedAt = String.valueOf(spec(restarted).get("restartAt"));
    // The status reports the stage after the Rollout's patch (the plan's writes come first): await it.
    JwtSecretStatus publishing = awaitStatus(cluster, "the next key in status", s -> s.nextKeyId != null);
    String k1 = publishing.nextKeyId;
    assertThat(restarted.getMetadata().getAnnotations()).containsEntry(ANNOTATION, k0 + "," + k1);
    assertThat(template(restarted).toString()).as("the pod template is left alone").doesNotContain(ANNOTATION);
    Thread.sleep(3000);
    JwtSecretStatus held = cluster.jwtSecret(NS, NAME).getStatus();
    assertThat(held.phase).as("the switch waits for the Rollout's status").isEqualTo(Phase.Publishing);
    assertThat(condition(held, "RolloutComplete").getReason()).isEqualTo("RolloutInProgress");

    // The controller reports the restart done: the operator switches and restarts it again.
    playController(cluster);
    GenericKubernetesResource switched = await("the switch restart").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> rollout(cluster), r -> k1.equals(cluster.jwtSecret(NS, NAME).getStatus().keyId)
            && (k1 + "," + k0).equals(r.getMetadata().getAnnotations().get(ANNOTATION)));
    assertThat(spec(switched).get("restartAt")).isNotNull();
    playController(cluster);
    JwtSecretStatus retiring = awaitStatus(cluster, "Retiring after the switch rollout",
        s -> s.phase == Phase.Retiring && isTrue(s, "RolloutComplete"));
    assertThat(retiring.workloads).singleElement().satisfies(w -> {
      assertThat(w.keySet).isEqualTo(k1 + "," + k0);
      assertThat(w.ready).isTrue();
    });
    assertThat(publishedAt).isNotBlank();
    argo.assertHealthy();
  }

  /** Writes the status the Argo Rollouts controller would once the restart asked for is done. */
  @SuppressWarnings("unchecked")
  static void playController(E2ECluster cluster) {
    GenericKubernetesResource r = rollout(cluster);
    Map<String, Object> spec = spec(r);
    int replicas = spec.get("replicas") instanceof Number n ? n.intValue() : 1;
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", String.valueOf(r.getMetadata().getGeneration()));
    status.put("phase", "Healthy");
    status.put("replicas", replicas);
    status.put("updatedReplicas", replicas);
    status.put("readyReplicas", replicas);
    status.put("availableReplicas", replicas);
    if (spec.get("restartAt") != null) {
      status.put("restartedAt", spec.get("restartAt"));
    }
    r.setAdditionalProperty("status", status);
    cluster.admin.genericKubernetesResources(ROLLOUTS).inNamespace(NS).resource(r).updateStatus();
  }

  static GenericKubernetesResource rollout(E2ECluster cluster) {
    return cluster.admin.genericKubernetesResources(ROLLOUTS).inNamespace(NS).withName(ROLLOUT).get();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    return r.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static Object template(GenericKubernetesResource r) {
    return spec(r).get("template");
  }

  static JwtSecretStatus awaitStatus(E2ECluster cluster, String what, Predicate<JwtSecretStatus> done) {
    JwtSecretStatus[] last = new JwtSecretStatus[1];
    await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      JwtSecret js = cluster.jwtSecret(NS, NAME);
      last[0] = js == null ? null : js.getStatus();
      return last[0] != null && done.test(last[0]);
    });
    return last[0];
  }

  static Condition condition(JwtSecretStatus s, String type) {
    return s.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  static boolean isTrue(JwtSecretStatus s, String type) {
    return s.conditions != null && s.conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
