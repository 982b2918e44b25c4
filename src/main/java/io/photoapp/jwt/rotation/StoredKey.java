package io.photoapp.jwt.rotation;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import java.time.Instant;

/** A key held in the Secret: its value, id (computed from the value), algorithm and creation time. */
public record StoredKey(KeyValue value, String id, Algorithm algorithm, Instant createdAt) {
  public static StoredKey of(KeyValue value, Algorithm algorithm, Instant createdAt) {
    return new StoredKey(value, KeyIds.of(value, algorithm), algorithm, createdAt);
  }

  @Override
  public String toString() {
    return "StoredKey[id=" + id + ", alg=" + algorithm + ", createdAt=" + createdAt + "]";
  }
}
