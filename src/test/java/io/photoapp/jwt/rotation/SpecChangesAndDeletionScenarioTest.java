package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A key spec applies from the next rotation; deleting a Retain JwtSecret leaves a plain, working Secret. */
class SpecChangesAndDeletionScenarioTest extends RotationScenarios {

  @Test
  void aKeySpecChangeAppliesFromTheNextRotationAndEachKeyKeepsItsAlgorithm() throws Exception {
    applyJwtSecret(JwtSecrets::direct);
    String k1 = created().getStatus().keyId;
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"key\":{\"algorithm\":\"HS512\"}}}");
    h.awaitStatus(NS, NAME, js -> js.getStatus().observedGeneration == 2);
    assertThat(OperatorHarness.data(h.secret(NS, NAME), "jwt-algorithm")).as("not before the next rotation").isEqualTo("HS256");

    step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    Secret s = h.secret(NS, NAME);
    assertThat(OperatorHarness.data(s, "jwt-algorithm")).isEqualTo("HS512");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).hasSize(86);
    JWKSet jwks = JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json"));
    JWK previous = jwks.getKeyByKeyId(k1);
    assertThat(previous.getAlgorithm().getName()).isEqualTo("HS256");
    assertThat(jwks.getKeys().get(0).getAlgorithm().getName()).isEqualTo("HS512");
  }

  @Test
  void deletingARetainJwtSecretMidRotationLeavesAPlainWorkingSecret() {
    applyJwtSecret();
    String k1 = created().getStatus().keyId;
    step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true);
    String current = OperatorHarness.data(h.secret(NS, NAME), "jwt-secret-key");

    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).delete();
    Awaitility.await().until(() -> h.get(NS, NAME) == null);
    // The release follows the Delete event (no finalizer): the JwtSecret is gone before its Secret is released.
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      Map<String, String> annotations = h.secret(NS, NAME).getMetadata().getAnnotations();
      return annotations == null || !annotations.containsKey(Labels.OWNER);
    });
    Secret s = h.secret(NS, NAME);
    assertThat(s.getData().get("jwt-secret-key-next")).as("the next key never became current").isNull();
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(current);
    assertThat(s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations())
        .doesNotContainKeys(Labels.OWNER, Labels.OWNER_UID, Labels.PHASE, Labels.KEY_ID, Labels.NEXT_KEY_ID)
        .containsKey(Labels.KEY_CREATED_AT);
    assertThat(s.getData()).doesNotContainKey("jwt-secret-key-next");
    assertThat(k1).isNotNull();
  }
}
