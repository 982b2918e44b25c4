package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PublishAwarenessTest {
  static PodTemplateSpec example(String file) throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("examples", file))) {
      return Serialization.unmarshal(in, Deployment.class).getSpec().getTemplate();
    }
  }

  @Test
  void theExampleDeploymentsReadTheNextKey() throws Exception {
    assertThat(PublishAwareness.readsNextKey(example("photoapp-deployment.yaml"), "photoapp-jwt", "jwt-secret-key-next")).isTrue();
    assertThat(PublishAwareness.readsNextKey(example("photoapp-deployment-file.yaml"), "photoapp-jwt", "jwt-secret-key-next")).isTrue();
  }

  @Test
  void aVerifierThatReadsThePublicKeysConfigMapBenefitsOnlyWhenThereIsOne() throws Exception {
    PodTemplateSpec verifier = Serialization.unmarshal(Files.readString(Path.of("examples", "jwtsecret-signing-es256.yaml"))
        .split("\n---\n")[2], Deployment.class).getSpec().getTemplate();
    assertThat(PublishAwareness.readsNextKey(verifier, "photoapp-signing", "jwt-secret-key-next", "photoapp-signing-jwks")).isTrue();
    assertThat(PublishAwareness.readsNextKey(verifier, "photoapp-signing", "jwt-secret-key-next")).as("HMAC keys: no ConfigMap").isFalse();
    PodTemplateSpec fromEnv = Serialization.unmarshal("""
        spec:
          containers:
            - name: app
              env:
                - name: JWKS
                  valueFrom: {configMapKeyRef: {name: keys-jwks, key: jwks.json}}
        """, PodTemplateSpec.class);
    assertThat(PublishAwareness.readsNextKey(fromEnv, "keys", "jwt-secret-key-next", "keys-jwks")).isTrue();
    assertThat(PublishAwareness.readsNextKey(fromEnv, "keys", "jwt-secret-key-next", "other-jwks")).isFalse();
  }

  @Test
  void aPodReadingOnlyTheCurrentKeyOrAnotherSecretCannotBenefit() throws Exception {
    PodTemplateSpec onlyCurrent = Serialization.unmarshal("""
        spec:
          containers:
            - name: app
              env:
                - name: JWT_SECRET_KEY
                  valueFrom: {secretKeyRef: {name: photoapp-jwt, key: jwt-secret-key}}
        """, PodTemplateSpec.class);
    assertThat(PublishAwareness.readsNextKey(onlyCurrent, "photoapp-jwt", "jwt-secret-key-next")).isFalse();
    assertThat(PublishAwareness.readsNextKey(example("photoapp-deployment.yaml"), "other-secret", "jwt-secret-key-next")).isFalse();
    assertThat(PublishAwareness.readsNextKey(new PodTemplateSpec(), "photoapp-jwt", "jwt-secret-key-next")).isFalse();
  }
}
