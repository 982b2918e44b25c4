package io.photoapp.jwt.rotation;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The key facts a JwtSecret's status records, as the planner reads them: ids and times only, never a
 * key. What {@code status --plan} plans from, and what the operator reads of the other JwtSecrets that
 * share a workload (coalescing).
 */
public final class StatusKeys {
  private StatusKeys() {}

  public static Optional<KeyState> stateOf(JwtSecretStatus st, Algorithm algorithm) {
    Optional<Instant> created = time(st.keyCreatedAt);
    if (st.keyId == null || created.isEmpty()) {
      return Optional.empty();
    }
    Phase phase = st.phase == null ? Phase.Idle : st.phase == Phase.AwaitingApproval ? Phase.Publishing : st.phase;
    Instant rotatedAt = time(st.lastRotationTime).orElse(created.get());
    StoredKey current = RotationPlan.known(st.keyId, created.get(), algorithm);
    // The next key was made when the publish stage was written (status of older operators: the last rotation time).
    Instant published = time(st.nextKeyCreatedAt).orElse(rotatedAt);
    Optional<StoredKey> next = Optional.ofNullable(st.nextKeyId).map(id -> RotationPlan.known(id, published, algorithm));
    Optional<StoredKey> previous = Optional.ofNullable(st.previousKeyId).map(id -> RotationPlan.known(id, Instant.EPOCH, algorithm));
    if (next.isEmpty() && phase == Phase.Publishing) {
      phase = Phase.Idle;
    }
    return Optional.of(new KeyState(phase, current, next, previous,
        phase == Phase.Retiring ? time(st.previousKeyExpiresAt) : Optional.empty(), rotatedAt,
        st.lastRotationReason == null ? "" : st.lastRotationReason, st.rotationCount == null ? 0 : st.rotationCount));
  }

  private static Optional<Instant> time(String text) {
    try {
      return text == null ? Optional.empty() : Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
