package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@MockApiServer
class CoreReconcileTest {
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
    h.namespace("photoapp", Map.of());
    h.start();
  }

  @Test
  void createsTheSecretTheContractDescribes() {
    h.apply(JwtSecrets.named("photoapp-jwt").in("photoapp").production());
    JwtSecret js = h.awaitStatus("photoapp", "photoapp-jwt", r -> r.getStatus().keyId != null);
    Secret s = h.secret("photoapp", "photoapp-jwt");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).hasSize(64);
    assertThat(js.getStatus().lastRotationReason).isEqualTo("Created");
  }
}
