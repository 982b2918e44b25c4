package io.photoapp.jwt.push;

import java.util.Optional;

/** One kind of external store: makes it hold a payload. */
public interface Store {
  /**
   * Makes the store hold the payload. {@code held} is the key set the store holds as last pushed
   * (empty when unknown), so that a store with one value per key writes only what changed.
   */
  void push(Target target, String namespace, String owner, PushPayload payload, Optional<String> held) throws PushException;
}
