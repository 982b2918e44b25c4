package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * The cache's copy of a labelled Secret that no cached JwtSecret owns: metadata only, no data. It
 * carries the current key's id computed from the data it had, so that the informer's index gives the
 * same entry for this copy as for the Secret (the index removes an old version by what it computes
 * from the copy it kept).
 */
public final class PrunedSecret extends Secret {
  private final transient List<String> currentKeyIds;

  PrunedSecret(ObjectMeta metadata, String type, Boolean immutable, List<String> currentKeyIds) {
    super("v1", null, immutable, "Secret", metadata, null, type);
    this.currentKeyIds = List.copyOf(currentKeyIds);
  }

  /** The ids {@link SecretIndexes#currentKeyId} computed from the Secret before its data was dropped. */
  public List<String> currentKeyIds() {
    return currentKeyIds;
  }
}
