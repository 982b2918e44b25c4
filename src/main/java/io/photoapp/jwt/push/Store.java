package io.photoapp.jwt.push;

import io.photoapp.jwt.secret.KeyState;
import java.util.Optional;

/** One kind of secret manager: makes it hold a payload. */
public interface Store {
  /**
   * Makes the store hold the payload at the target's location. {@code held} is the key set the store
   * holds as last pushed (empty when unknown), so that a store with one value per key writes only
   * what changed.
   */
  void push(Target target, String owner, PushPayload payload, Optional<String> held) throws PushException;

  /**
   * Reads back the key set the store holds at the target's location, with the same identity, deadline
   * and reply cap as a push: empty when the store holds nothing there.
   */
  default Optional<KeyState> read(Target target) throws PushException {
    throw new PushException(PushException.Reason.ConfigurationError, "this store cannot be read back");
  }

  /** Whether what the store holds differs from what a push of the payload writes (edited by hand, rolled back). */
  default boolean differs(Target target, PushPayload payload) throws PushException {
    throw new PushException(PushException.Reason.ConfigurationError, "this store cannot be read back");
  }

  /** Drops what is kept for a store that is gone. */
  default void forget(String storeUid) {}
}
