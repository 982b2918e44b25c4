package io.photoapp.jwt.push;

import io.photoapp.jwt.rotation.KeyState;
import java.util.Optional;

/**
 * A store that holds the current key and the JWK set (with its state member) as two secrets, as AWS
 * Secrets Manager and Azure Key Vault do: reading back and comparing both follow from what it holds.
 */
interface JwksSetStore extends Store {
  /** Both secrets as the store holds them, read with the identity a push uses. */
  JwksState.Held held(Target target) throws PushException;

  @Override
  default Optional<KeyState> read(Target target) throws PushException {
    JwksState.Held held = held(target);
    return held.isEmpty() ? Optional.empty() : JwksState.keyState(held);
  }

  @Override
  default Comparison compare(Target target, PushPayload payload) throws PushException {
    return JwksState.compare(held(target), payload);
  }
}
