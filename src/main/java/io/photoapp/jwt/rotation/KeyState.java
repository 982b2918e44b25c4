package io.photoapp.jwt.rotation;

import io.photoapp.jwt.api.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a JwtSecret's keys stand, as the Secret alone tells it: a restarted operator resumes from
 * this. Status is derived from it.
 */
public record KeyState(
    Phase phase,
    StoredKey current,
    Optional<StoredKey> next,
    Optional<StoredKey> previous,
    Optional<Instant> previousExpiresAt,
    Instant rotatedAt,
    String reason,
    int rotationCount) {

  /** Key ids of every key the app should accept, current first: the pod-template annotation's value. */
  public String keySet() {
    List<String> ids = new ArrayList<>();
    ids.add(current.id());
    next.ifPresent(k -> ids.add(k.id()));
    previous.ifPresent(k -> ids.add(k.id()));
    return String.join(",", ids);
  }

  public List<StoredKey> keys() {
    List<StoredKey> keys = new ArrayList<>();
    keys.add(current);
    next.ifPresent(keys::add);
    previous.ifPresent(keys::add);
    return keys;
  }

  public static KeyState fresh(StoredKey key, String reason, int rotationCount) {
    return new KeyState(Phase.Idle, key, Optional.empty(), Optional.empty(), Optional.empty(),
        key.createdAt(), reason, rotationCount);
  }

  public KeyState publish(StoredKey nextKey) {
    return new KeyState(Phase.Publishing, current, Optional.of(nextKey), Optional.empty(), Optional.empty(),
        rotatedAt, reason, rotationCount);
  }

  /** Next (or a new key, for Direct) becomes current; current becomes previous. */
  public KeyState switchTo(StoredKey newCurrent, String newReason, Instant now) {
    return new KeyState(Phase.Switching, newCurrent, Optional.empty(), Optional.of(current), Optional.empty(),
        now, newReason, rotationCount + 1);
  }

  public KeyState retiring(Instant expiresAt) {
    return new KeyState(Phase.Retiring, current, Optional.empty(), previous, Optional.of(expiresAt),
        rotatedAt, reason, rotationCount);
  }

  public KeyState retired() {
    return new KeyState(Phase.Idle, current, Optional.empty(), Optional.empty(), Optional.empty(),
        rotatedAt, reason, rotationCount);
  }

  /** Emergency: a new current key and nothing else. */
  public KeyState replaceAll(StoredKey newCurrent, String newReason, Instant now) {
    return new KeyState(Phase.Idle, newCurrent, Optional.empty(), Optional.empty(), Optional.empty(),
        now, newReason, rotationCount + 1);
  }
}
