package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** spec.secret.template puts labels and annotations on the Secret; the operator's own always win. */
class SecretTemplateTest extends OperatorScenario {

  @Test
  void theSecretCarriesTheTemplatesLabelsAndAnnotations() {
    apply(JwtSecrets.named("app")
        .development()
        .secretLabel("app.kubernetes.io/part-of", "photoapp")
        .secretLabel("team", "web")
        .secretAnnotation("backup.example.com/exclude", "true"));
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret s = secret("app");
    assertThat(s.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "photoapp")
        .containsEntry("team", "web").containsEntry("jwt.photoapp.io/managed", "true");
    assertThat(s.getMetadata().getAnnotations()).containsEntry("backup.example.com/exclude", "true")
        .containsEntry("jwt.photoapp.io/key-id", js.getStatus().keyId);
  }

  @Test
  void aTemplateChangedLaterReachesTheSecretWithoutARotation() {
    apply(JwtSecrets.named("app").development());
    JwtSecret before = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.edit(ns, "app", r -> {
      r.getSpec().secret = new io.photoapp.jwt.api.SecretSpec();
      r.getSpec().secret.template = new io.photoapp.jwt.api.SecretTemplate();
      r.getSpec().secret.template.labels = java.util.Map.of("team", "web");
      return r;
    });
    await().atMost(Duration.ofSeconds(20))
        .until(() -> "web".equals(secret("app").getMetadata().getLabels().get("team")));
    assertThat(secret("app").getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/key-id", before.getStatus().keyId);
  }

  @Test
  void aTemplateCannotWriteTheOperatorsOwnershipOrStageMarks() {
    // The Secret's annotations tell a restarted operator who owns the Secret and where a rotation
    // stands: a namespace user must not be able to forge them through the template.
    apply(JwtSecrets.named("app")
        .development()
        .secretLabel("jwt.photoapp.io/managed", "false")
        .secretLabel("team", "web")
        .secretAnnotation("jwt.photoapp.io/owner-uid", "forged")
        .secretAnnotation("jwt.photoapp.io/next-key-id", "forged")
        .secretAnnotation("x.jwt.photoapp.io/phase", "Switching"));
    JwtSecret js = awaitCondition("app", Conditions.READY, "False", Conditions.INVALID_SPEC);
    assertThat(conditionOf(js, Conditions.READY).getMessage()).contains("jwt.photoapp.io/ are the operator's own");
    Secret s = secret("app");
    if (s != null) {
      assertThat(s.getMetadata().getLabels()).containsEntry("jwt.photoapp.io/managed", "true");
      assertThat(s.getMetadata().getAnnotations()).doesNotContainValue("forged").doesNotContainKey("x.jwt.photoapp.io/phase");
    }
  }
}
