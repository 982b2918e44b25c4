package io.photoapp.jwt.reconciler;

import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/** Carries out a rotation decision on the key state; new keys are made only here, and only when decided. */
public final class KeyActions {
  private final KeyGenerator generator;
  /**
   * One asymmetric key is made at a time, operator-wide: an 8192-bit RSA key can take a minute of
   * CPU, and a reconcile that finds another generation under way tries again shortly instead of
   * holding a second reconcile thread and core.
   */
  private final Semaphore asymmetric;
  /**
   * How long an emergency that found the generator busy goes first: until then no other asymmetric key is
   * begun. The generator is shared by every namespace, and without this a namespace with many planned
   * RSA-8192 rotations, asking again every few seconds, would mostly win it over another's emergency.
   */
  static final java.time.Duration EMERGENCY_FIRST = java.time.Duration.ofSeconds(30);
  /** Until when a waiting emergency goes first (the reconcile's clock). */
  private volatile Instant emergencyFirstUntil = Instant.MIN;

  /** Thrown, before anything is written, when another asymmetric key is being made. */
  public static final class GeneratorBusy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GeneratorBusy() {
      super("another asymmetric key is being generated", null, false, false);
    }
  }

  public KeyActions(KeyGenerator generator) {
    this(generator, new Semaphore(1));
  }

  KeyActions(KeyGenerator generator, Semaphore asymmetric) {
    this.generator = generator;
    this.asymmetric = asymmetric;
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
      case CREATE -> KeyState.fresh(newKey(spec, now, false), decision.reason(),
          decision.reason().equals(io.photoapp.jwt.rotation.Reasons.SECRET_DELETED) ? previousCount + 1 : 0);
      case ADOPT -> {
        KeyState s = state.orElseThrow();
        yield new KeyState(s.phase(), s.current(), s.next(), s.previous(), s.previousExpiresAt(),
            s.rotatedAt(), decision.reason(), s.rotationCount());
      }
      case PUBLISH -> state.orElseThrow().publish(newKey(spec, now, false));
      case SWITCH -> {
        KeyState s = state.orElseThrow();
        StoredKey next = s.next().orElseGet(() -> newKey(spec, now, false));
        yield s.switchTo(next, decision.reason(), now);
      }
      case MARK_RETIRING -> state.orElseThrow().retiring(now.plus(spec.effectiveGrace()));
      case RETIRE -> state.orElseThrow().retired();
      case EMERGENCY -> state.orElseThrow().replaceAll(newKey(spec, now, true), decision.reason(), now);
      case NONE, HOLD -> state.orElseThrow();
    };
  }

  private StoredKey newKey(EffectiveSpec spec, Instant now, boolean emergency) {
    if (spec.algorithm().isHmac()) {
      return StoredKey.of(generator.generate(spec.encoding(), spec.length()), spec.algorithm(), now);
    }
    if (!emergency && now.isBefore(emergencyFirstUntil)) {
      throw new GeneratorBusy();
    }
    if (!asymmetric.tryAcquire()) {
      if (emergency) {
        emergencyFirstUntil = now.plus(EMERGENCY_FIRST);
      }
      throw new GeneratorBusy();
    }
    try {
      return StoredKey.of(generator.generateKeyPair(spec.algorithm(), spec.size()), spec.algorithm(), now);
    } finally {
      asymmetric.release();
    }
  }
}
