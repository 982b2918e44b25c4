package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** deletionPolicy on a real API server: the real garbage collector removes a Delete Secret; Retain leaves a plain Secret. */
@ExtendWith(ClusterExtension.class)
class DeletionPolicyE2E {
  static final String NS = "e2e-deletion";
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  static String manifest(String name, String policy) {
    return """
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata:
          name: %s
        spec:
          environment: test
          secret:
            deletionPolicy: %s
        """.formatted(name, policy);
  }

  @BeforeAll
  static void namespace(E2ECluster cluster) {
    cluster.namespace(NS);
  }

  @Test
  void deleteLetsTheGarbageCollectorRemoveTheSecret(E2ECluster cluster) {
    cluster.apply(NS, manifest("del-delete", "Delete"));
    Secret secret = awaitSecret(cluster, "del-delete");
    JwtSecret owner = cluster.jwtSecret(NS, "del-delete");
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getKind()).isEqualTo("JwtSecret");
      assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
    });

    cluster.kubectl.run("delete", "jwts", "del-delete", "-n", NS, "--wait=true", "--timeout=60s").assertOk();
    await("the garbage collector deletes Secret del-delete").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
        .until(() -> cluster.secret(NS, "del-delete") == null);
  }

  @Test
  void retainLeavesAPlainSecret(E2ECluster cluster) throws InterruptedException {
    cluster.apply(NS, manifest("del-retain", "Retain"));
    Secret before = awaitSecret(cluster, "del-retain");
    assertThat(before.getMetadata().getOwnerReferences()).isNullOrEmpty();
    String key = before.getData().get("jwt-secret-key");

    cluster.kubectl.run("delete", "jwts", "del-retain", "-n", NS, "--wait=true", "--timeout=60s").assertOk();
    assertThat(cluster.jwtSecret(NS, "del-retain")).isNull();
    // The release follows the Delete event (no finalizer); then give a garbage collector that would wrongly delete
    // the Secret the time to do so.
    await("the operator releases Secret del-retain").atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> {
      Secret s = cluster.secret(NS, "del-retain");
      return s == null || s.getMetadata().getLabels() == null || !s.getMetadata().getLabels().containsKey("jwt.photoapp.io/managed");
    });
    Thread.sleep(3000);
    Secret after = cluster.secret(NS, "del-retain");
    assertThat(after).as("the retained Secret").isNotNull();
    assertThat(after.getData()).containsEntry("jwt-secret-key", key).doesNotContainKey("jwt-secret-key-next");
    Map<String, String> labels = after.getMetadata().getLabels() == null ? Map.of() : after.getMetadata().getLabels();
    assertThat(labels).doesNotContainKey("jwt.photoapp.io/managed");
    Map<String, String> annotations = after.getMetadata().getAnnotations() == null ? Map.of() : after.getMetadata().getAnnotations();
    assertThat(annotations).doesNotContainKeys("jwt.photoapp.io/owner", "jwt.photoapp.io/owner-uid", "jwt.photoapp.io/key-id",
        "jwt.photoapp.io/phase");
    assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  static Secret awaitSecret(E2ECluster cluster, String name) {
    Secret[] last = new Secret[1];
    await("Secret " + name).atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> {
      last[0] = cluster.secret(NS, name);
      return last[0] != null && last[0].getData() != null && last[0].getData().containsKey("jwt-secret-key");
    });
    return last[0];
  }
}
