package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/** The cache's copy of a labelled ConfigMap that no cached JwtSecret owns: metadata only, no data. */
public final class PrunedConfigMap extends ConfigMap {
  PrunedConfigMap(ObjectMeta metadata) {
    super("v1", null, null, null, "ConfigMap", metadata);
  }
}
