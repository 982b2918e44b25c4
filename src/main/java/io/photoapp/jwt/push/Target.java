package io.photoapp.jwt.push;

import java.util.Optional;

/**
 * One entry of {@code spec.push}, resolved: its id ({@code <kind>/<store name>:<location>}, shown in
 * status, conditions, events and the {@code target} label of metrics: no address and no credential),
 * the namespace of the JwtSecret it pushes for, the store, and where under the store's prefix the key
 * set lands; or why it is refused. A refused target sends nothing anywhere.
 */
public record Target(String id, String namespace, Optional<ResolvedStore> store, String location,
    Optional<PushException> refusal) {
  public static final String JWKS_SUFFIX = "-jwks";

  static Target refused(String id, String namespace, PushException.Reason reason, String message) {
    return new Target(id, namespace, Optional.empty(), null, Optional.of(new PushException(reason, message)));
  }

  static Target usable(ResolvedStore store, String namespace, String location) {
    return new Target(store.display() + ":" + location, namespace, Optional.of(store), location, Optional.empty());
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
