package io.photoapp.jwt.push;

import io.photoapp.jwt.rotation.KeyState;
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

  /** What a read-back finds, compared with what a push of the payload writes. */
  enum Comparison {
    /** The store holds exactly what a push writes. */
    SAME,
    /** The store holds something else (edited by hand, rolled back, deleted): drift. */
    DIFFERENT,
    /** The store holds the key set, written by an earlier version without the state a restore needs. */
    WITHOUT_STATE
  }

  /** How what the store holds compares with what a push of the payload writes. */
  default Comparison compare(Target target, PushPayload payload) throws PushException {
    throw new PushException(PushException.Reason.ConfigurationError, "this store cannot be read back");
  }

  /** Drops what is kept for a store that is gone. */
  default void forget(String storeUid) {}
}
