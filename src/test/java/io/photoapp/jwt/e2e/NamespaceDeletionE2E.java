package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photoapp.jwt.api.JwtSecret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No finalizer: a namespace full of JwtSecrets is deleted by the real namespace controller while the
 * operator is stopped (the case that hangs operators with finalizers until someone strips them).
 */
@ExtendWith(ClusterExtension.class)
class NamespaceDeletionE2E {
  static final String NS = "e2e-namespace-deletion";
  static final int COUNT = 6;
  /** The namespace controller of kube-controller-manager lists and deletes everything in it; well within this. */
  static final Duration NAMESPACE_GONE = Duration.ofSeconds(120);

  @Test
  void aNamespaceOfJwtSecretsIsDeletedWhileTheOperatorIsStopped(E2ECluster cluster) throws Exception {
    cluster.namespace(NS);
    for (int i = 0; i < COUNT; i++) {
      cluster.apply(NS, """
          apiVersion: jwt.photoapp.io/v1alpha1
          kind: JwtSecret
          metadata:
            name: ns-del-%d
          spec:
            environment: test
            secret:
              deletionPolicy: %s
          """.formatted(i, i % 2 == 0 ? "Retain" : "Delete"));
    }
    await("every JwtSecret has its Secret").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> java.util.stream.IntStream.range(0, COUNT).allMatch(i -> cluster.secret(NS, "ns-del-" + i) != null));
    List<JwtSecret> all = cluster.admin.resources(JwtSecret.class).inNamespace(NS).list().getItems();
    assertThat(all).hasSize(COUNT).allSatisfy(js -> assertThat(js.getMetadata().getFinalizers()).isNullOrEmpty());

    OperatorProcess stopped = cluster.operator;
    stopped.close();
    assertThat(stopped.isAlive()).isFalse();
    try {
      cluster.kubectl.run("delete", "namespace", NS, "--wait=false").assertOk();
      await("namespace " + NS + " is gone without the operator").atMost(NAMESPACE_GONE).pollInterval(Duration.ofSeconds(1))
          .until(() -> cluster.admin.namespaces().withName(NS).get() == null);
    } finally {
      // The classes that run after this one need an operator.
      OperatorProcess next = cluster.startReplica("operator-after-namespace-deletion");
      next.awaitReady("leader", Duration.ofSeconds(120));
      cluster.promote(next);
    }
  }
}
