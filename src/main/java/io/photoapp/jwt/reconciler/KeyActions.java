package io.photoapp.jwt.reconciler;

import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.secret.KeyState;
import io.photoapp.jwt.secret.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Instant;
import java.util.Optional;

/** Carries out a rotation decision on the key state; new keys are made only here, and only when decided. */
public final class KeyActions {
  private final KeyGenerator generator;

  public KeyActions(KeyGenerator generator) {
    this.generator = generator;
  }

  /**
   * The state after the action.
   *
   * @param previousCount rotations counted before, for a Secret that has to be made anew
   */
  public KeyState apply(RotationDecision decision, Optional<KeyState> state, EffectiveSpec spec, int previousCount,
      Instant now) {
    Action action = decision.action();
    return switch (action) {
      case CREATE -> KeyState.fresh(newKey(spec, now), decision.reason(),
          decision.reason().equals(io.photoapp.jwt.rotation.Reasons.SECRET_DELETED) ? previousCount + 1 : 0);
      case ADOPT -> {
        KeyState s = state.orElseThrow();
        yield new KeyState(s.phase(), s.current(), s.next(), s.previous(), s.previousExpiresAt(),
            s.rotatedAt(), decision.reason(), s.rotationCount());
      }
      case PUBLISH -> state.orElseThrow().publish(newKey(spec, now));
      case SWITCH -> {
        KeyState s = state.orElseThrow();
        StoredKey next = s.next().orElseGet(() -> newKey(spec, now));
        yield s.switchTo(next, decision.reason(), now);
      }
      case MARK_RETIRING -> state.orElseThrow().retiring(now.plus(spec.effectiveGrace()));
      case RETIRE -> state.orElseThrow().retired();
      case EMERGENCY -> state.orElseThrow().replaceAll(newKey(spec, now), decision.reason(), now);
      case NONE, HOLD -> state.orElseThrow();
    };
  }

  private StoredKey newKey(EffectiveSpec spec, Instant now) {
    KeyValue value = spec.algorithm().isHmac()
        ? generator.generate(spec.encoding(), spec.length())
        : generator.generateKeyPair(spec.algorithm(), spec.size());
    return StoredKey.of(value, spec.algorithm(), now);
  }
}
