package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** spec.secret.template on a real API server: the schema takes it and the Secret carries its labels and annotations. */
@ExtendWith(ClusterExtension.class)
class SecretTemplateE2E {
  static final String NS = "e2e-secret-template";

  @Test
  void theSecretCarriesTheTemplateBesideTheOperatorsOwnMarks(E2ECluster cluster) {
    cluster.namespace(NS);
    cluster.apply(NS, """
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: templated}
        spec:
          environment: development
          rotation: {schedule: "@monthly"}
          secret:
            template:
              labels: {app.kubernetes.io/part-of: photoapp}
              annotations: {backup.example.com/exclude: "true"}
        """).assertOk();
    Secret secret = await("Secret templated").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> cluster.secret(NS, "templated"), s -> s != null);
    assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "photoapp")
        .containsEntry("jwt.photoapp.io/managed", "true");
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("backup.example.com/exclude", "true")
        .containsKey("jwt.photoapp.io/key-id");
  }
}
