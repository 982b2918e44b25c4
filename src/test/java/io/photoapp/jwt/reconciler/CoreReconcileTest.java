package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoreReconcileTest {
  OperatorHarness h;
  LeakGuard leaks;

  @BeforeEach
  void setUp() {
    h = new OperatorHarness();
    leaks = LeakGuard.watch(h);
    h.namespace("photoapp", Map.of());
    h.start();
  }

  @AfterEach
  void tearDown() {
    try {
      leaks.assertNoLeaks();
    } finally {
      leaks.close();
      h.close();
    }
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
