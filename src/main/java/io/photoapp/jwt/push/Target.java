package io.photoapp.jwt.push;

import java.time.Duration;
import java.util.Optional;

/**
 * One entry of {@code spec.push}, resolved: its id ({@code <kind>/<store name>:<location>}, shown in
 * status, conditions, events and the {@code target} label of metrics: no address and no credential),
 * the namespace of the JwtSecret it pushes for, the store, and where under the store's prefix the key
 * set lands; or why it is refused. A refused target sends nothing anywhere.
 */
public record Target(String id, String namespace, Optional<ResolvedStore> store, String location,
    Optional<PushException> refusal, ReadBack readBack) {
  public static final String JWKS_SUFFIX = "-jwks";
  public static final Duration DEFAULT_RESTORE_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofHours(1);

  /**
   * What the operator reads back from this target: {@code restore} (rebuild a lost Secret from it, waiting
   * at most {@code restoreTimeout} for an unreachable store) and how often it checks the store for drift.
   */
  public record ReadBack(boolean restore, Duration restoreTimeout, Duration resyncInterval) {
    public static final ReadBack DEFAULT = new ReadBack(false, DEFAULT_RESTORE_TIMEOUT, DEFAULT_RESYNC_INTERVAL);
  }

  static Target refused(String id, String namespace, PushException.Reason reason, String message) {
    return new Target(id, namespace, Optional.empty(), null, Optional.of(new PushException(reason, message)), ReadBack.DEFAULT);
  }

  static Target usable(ResolvedStore store, String namespace, String location) {
    return usable(store, namespace, location, ReadBack.DEFAULT);
  }

  static Target usable(ResolvedStore store, String namespace, String location, ReadBack readBack) {
    return new Target(store.display() + ":" + location, namespace, Optional.of(store), location, Optional.empty(), readBack);
  }

  Target withReadBack(ReadBack options) {
    return new Target(id, namespace, store, location, refusal, options);
  }

  /** Whether this target is the one a lost Secret is rebuilt from. */
  public boolean restore() {
    return readBack.restore();
  }

  /** The store of a usable target. */
  public ResolvedStore resolved() {
    return store.orElseThrow(() -> new IllegalStateException("target " + id + " is refused"));
  }

  /** Where the JWK set lands next to the key (AWS and Azure keep it in a secret of its own). */
  public String jwksLocation() {
    return location + JWKS_SUFFIX;
  }
}
