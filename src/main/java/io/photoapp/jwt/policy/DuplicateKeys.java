package io.photoapp.jwt.policy;

import java.time.Instant;
import java.util.Collection;

/** The cluster-wide uniqueness rule: of two JwtSecrets holding one key, only the later is in violation. */
public final class DuplicateKeys {
  private DuplicateKeys() {}

  /** A current key as one JwtSecret's Secret holds it. */
  public record Holder(String owner, String keyId, Instant createdAt) {}

  /** Whether {@code me} holds a key that an earlier holder already had (ties broken by owner name). */
  public static boolean isLaterHolder(Holder me, Collection<Holder> others) {
    return others.stream()
        .filter(o -> !o.owner().equals(me.owner()) && o.keyId().equals(me.keyId()))
        .anyMatch(o -> o.createdAt().isBefore(me.createdAt())
            || (o.createdAt().equals(me.createdAt()) && o.owner().compareTo(me.owner()) < 0));
  }
}
