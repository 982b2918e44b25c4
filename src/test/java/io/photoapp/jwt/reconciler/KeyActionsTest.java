package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.secret.KeyState;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.testing.JwtSecrets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * Asymmetric keys are made one at a time, operator-wide: a reconcile that finds another being made
 * gives up before writing anything, rather than holding a second reconcile thread and CPU core.
 */
class KeyActionsTest {
  static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");

  static EffectiveSpec spec(String algorithm) {
    JwtSecret js = JwtSecrets.named("k").in("ns").uid("u").production().algorithm(Algorithm.valueOf(algorithm)).build();
    return SpecResolver.resolve(js).spec();
  }

  @Test
  void anAsymmetricKeyWaitsWhileAnotherIsBeingGenerated() {
    Semaphore generator = new Semaphore(1);
    KeyActions actions = new KeyActions(new KeyGenerator(), generator);
    RotationDecision create = RotationDecision.act(Action.CREATE, Reasons.CREATED);

    generator.acquireUninterruptibly();
    assertThatThrownBy(() -> actions.apply(create, Optional.empty(), spec("ES256"), 0, NOW))
        .isInstanceOf(KeyActions.GeneratorBusy.class);
    // HMAC keys cost nothing and never wait.
    assertThat(actions.apply(create, Optional.empty(), spec("HS256"), 0, NOW).current().algorithm()).isEqualTo(Algorithm.HS256);

    generator.release();
    KeyState made = actions.apply(create, Optional.empty(), spec("ES256"), 0, NOW);
    assertThat(made.current().algorithm()).isEqualTo(Algorithm.ES256);
    assertThat(generator.availablePermits()).as("the generator is free again").isEqualTo(1);
  }
}
