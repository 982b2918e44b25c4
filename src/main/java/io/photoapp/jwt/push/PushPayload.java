package io.photoapp.jwt.push;

import io.photoapp.jwt.keys.JwkSets;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.secret.SecretCodec;
import java.util.Optional;

/**
 * What a store should hold at a stage: the current key, and the JWK set of every key the Secret holds
 * (the same JSON as the Secret's {@code jwks-secret.json}: current first, then next and previous).
 */
public record PushPayload(KeyState state) {
  /** Key ids, current first: what a store holds once this payload is pushed. */
  public String keySet() {
    return state.keySet();
  }

  public StoredKey current() {
    return state.current();
  }

  public Optional<StoredKey> next() {
    return state.next();
  }

  public Optional<StoredKey> previous() {
    return state.previous();
  }

  /** The JWK set, secret material included: for stores only. */
  public String jwks() {
    return JwkSets.toJson(SecretCodec.jwkEntries(state));
  }

  /** Whether a store that holds {@code held} (key ids, current first) needs the current key written again. */
  public boolean currentDiffers(Optional<String> held) {
    return held.map(h -> !h.split(",")[0].equals(current().id())).orElse(true);
  }

  @Override
  public String toString() {
    return "PushPayload[keySet=" + keySet() + "]";
  }
}
