package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator jar, running as the Helm chart's ServiceAccount with only the chart's RBAC (default
 * values: ClusterRole, leader election on), creates a key, makes a staged rotation and an emergency
 * rotation, and rolls a real Deployment whose rollouts the real Deployment controller completes
 * ({@code replicas: 0}: no kubelet needed). Nothing it does may be forbidden.
 */
@ExtendWith(ClusterExtension.class)
class ChartRbacRotationE2E {
  static final String NS = "e2e-rotation";
  static final String NAME = "rot-jwt";
  static final String DEPLOYMENT = "rot-backend";
  static final String ANNOTATION = "jwt.photoapp.io/key-set." + NAME;
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  static final String MANIFESTS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: rot-backend
        labels:
          app: rot-backend
          jwt.photoapp.io/restartable: "true"
      spec:
        replicas: 0
        selector:
          matchLabels: { app: rot-backend }
        template:
          metadata:
            labels: { app: rot-backend }
          spec:
            containers:
              - name: backend
                image: ghcr.io/photoapp/backend:1.0
                env:
                  - name: JWT_SECRET_KEY
                    valueFrom: { secretKeyRef: { name: rot-jwt, key: jwt-secret-key } }
                  - name: JWT_SECRET_KEY_NEXT
                    valueFrom: { secretKeyRef: { name: rot-jwt, key: jwt-secret-key-next, optional: true } }
                  - name: JWT_SECRET_KEY_PREVIOUS
                    valueFrom: { secretKeyRef: { name: rot-jwt, key: jwt-secret-key-previous, optional: true } }
      ---
      apiVersion: jwt.photoapp.io/v1alpha1
      kind: JwtSecret
      metadata:
        name: rot-jwt
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
            - kind: Deployment
              name: rot-backend
      """;

  @BeforeAll
  static void namespace(E2ECluster cluster) {
    cluster.namespace(NS);
  }

  @Test
  void createsRotatesStagedAndInEmergencyAsTheChartsServiceAccount(E2ECluster cluster) throws Exception {
    cluster.apply(NS, MANIFESTS);

    // Created: a key, no rotation, no restart.
    JwtSecretStatus created = awaitStatus(cluster, "the first key", s -> isTrue(s, "Ready") && s.keyId != null);
    String k0 = created.keyId;
    assertThat(count(created)).isZero();
    assertThat(created.lastRotationReason).isEqualTo("Created");
    assertThat(created.phase).isEqualTo(Phase.Idle);
    assertThat(cluster.secret(NS, NAME).getData()).containsKey("jwt-secret-key").doesNotContainKeys(
        "jwt-secret-key-next", "jwt-secret-key-previous");

    // A planned rotation, requested as the CLI's rotate does: publish, roll, switch, roll, then retiring.
    Set<Phase> phases = new LinkedHashSet<>();
    cluster.kubectl.run("annotate", "jwts", NAME, "-n", NS, "--overwrite",
        "jwt.photoapp.io/rotate-after=" + now()).assertOk();
    JwtSecretStatus retiring = awaitStatus(cluster, "the staged rotation to reach Retiring", s -> {
      phases.add(s.phase);
      return count(s) == 1 && s.phase == Phase.Retiring;
    });
    System.out.println("[e2e] phases seen while polling: " + phases);
    String k1 = retiring.keyId;
    assertThat(k1).isNotEqualTo(k0);
    assertThat(retiring.previousKeyId).isEqualTo(k0);
    assertThat(retiring.nextKeyId).isNullOrEmpty();
    assertThat(retiring.lastRotationReason).isEqualTo("Manual");
    // Grace: max(gracePeriod 5s, token lifetime 1m) after the switch rollout completed.
    assertThat(Instant.parse(retiring.previousKeyExpiresAt)).isAfter(Instant.parse(retiring.lastRotationTime).plusSeconds(55));
    Secret afterSwitch = cluster.secret(NS, NAME);
    assertThat(afterSwitch.getData()).containsKeys("jwt-secret-key", "jwt-secret-key-previous")
        .doesNotContainKey("jwt-secret-key-next");
    assertThat(afterSwitch.getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/previous-key-id", k0)
        .containsEntry("jwt.photoapp.io/key-id", k1).containsEntry("jwt.photoapp.io/rotation-count", "1");
    awaitRolledOut(cluster, k1 + "," + k0);
    assertThat(events(cluster)).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("Rotated");
      assertThat(e.getMessage()).startsWith("Published next key");
    }).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("Rotated");
      assertThat(e.getMessage()).startsWith("Key " + k1 + " replaced " + k0);
    });

    // An emergency: every key created before now goes at once, the Deployment is rolled.
    cluster.kubectl.run("annotate", "jwts", NAME, "-n", NS, "--overwrite",
        "jwt.photoapp.io/invalidate-before=" + now()).assertOk();
    JwtSecretStatus emergency = awaitStatus(cluster, "the emergency rotation", s -> count(s) == 2);
    String k2 = emergency.keyId;
    assertThat(k2).isNotIn(k0, k1);
    assertThat(emergency.lastRotationReason).isEqualTo("Emergency");
    assertThat(emergency.previousKeyId).isNullOrEmpty();
    assertThat(emergency.nextKeyId).isNullOrEmpty();
    assertThat(emergency.phase).isEqualTo(Phase.Idle);
    assertThat(cluster.secret(NS, NAME).getData()).containsKey("jwt-secret-key")
        .doesNotContainKeys("jwt-secret-key-previous", "jwt-secret-key-next");
    awaitRolledOut(cluster, k2);
    assertThat(events(cluster)).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("EmergencyRotation");
    });

    // Metrics count both rotations by reason.
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + cluster.operator.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).containsPattern("jwtsecret_rotations_total\\{[^}]*name=\"rot-jwt\"[^}]*reason=\"Manual\"[^}]*} 1\\.0")
        .containsPattern("jwtsecret_rotations_total\\{[^}]*name=\"rot-jwt\"[^}]*reason=\"Emergency\"[^}]*} 1\\.0");

    // It held the chart's Lease, and it was never refused an API call.
    Lease lease = cluster.admin.leases().inNamespace(E2ECluster.OPERATOR_NAMESPACE).withName("jwt-secret-operator").get();
    assertThat(lease).as("the leader-election Lease").isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
    cluster.operator.assertHealthy();
  }

  /** The Deployment carries the key set, the Deployment controller has rolled it out, and status says so. */
  static void awaitRolledOut(E2ECluster cluster, String keySet) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      Deployment d = cluster.admin.apps().deployments().inNamespace(NS).withName(DEPLOYMENT).get();
      assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(ANNOTATION, keySet);
      assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
      JwtSecretStatus s = cluster.jwtSecret(NS, NAME).getStatus();
      assertThat(condition(s, "RolloutComplete")).as("RolloutComplete in %s", s.conditions)
          .extracting(Condition::getStatus).isEqualTo("True");
      assertThat(s.workloads).singleElement().satisfies(w -> {
        assertThat(w.keySet).isEqualTo(keySet);
        assertThat(w.ready).isTrue();
        assertThat(w.generation).isEqualTo(d.getMetadata().getGeneration());
      });
    });
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

  static List<Event> events(E2ECluster cluster) {
    return cluster.admin.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> NAME.equals(e.getInvolvedObject().getName())).toList();
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  static int count(JwtSecretStatus s) {
    return s.rotationCount == null ? 0 : s.rotationCount;
  }

  static Condition condition(JwtSecretStatus s, String type) {
    return s.conditions == null ? null
        : s.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  static boolean isTrue(JwtSecretStatus s, String type) {
    Condition c = condition(s, type);
    return c != null && "True".equals(c.getStatus());
  }

}
