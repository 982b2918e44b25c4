package io.photoapp.jwt.rotation;

import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything a rotation decision depends on.
 *
 * @param state the keys the Secret holds, empty when there is no Secret or no usable key in it
 * @param adopting the Secret exists but is not yet the operator's ({@code adopt: true})
 * @param hadKeyBefore status shows a key was made earlier (an absent Secret was deleted by someone)
 * @param keyRejected a stored key breaks a rule about keys (weak, short, low entropy, shared)
 * @param canGenerate the spec makes keys the profile accepts
 * @param rolloutComplete every target that holds the rotation runs the Secret's current key set
 * @param plannedAllowed the spec is valid: with an invalid one no key is created and no planned
 *     rotation starts, while a rotation in progress, an emergency and a retirement still run
 */
public record RotationInput(
    EffectiveSpec spec,
    Optional<KeyState> state,
    boolean adopting,
    boolean hadKeyBefore,
    boolean keyRejected,
    boolean canGenerate,
    boolean rolloutComplete,
    Instant now,
    boolean plannedAllowed) {

  public RotationInput(EffectiveSpec spec, Optional<KeyState> state, boolean adopting, boolean hadKeyBefore,
      boolean keyRejected, boolean canGenerate, boolean rolloutComplete, Instant now) {
    this(spec, state, adopting, hadKeyBefore, keyRejected, canGenerate, rolloutComplete, now, true);
  }
}
