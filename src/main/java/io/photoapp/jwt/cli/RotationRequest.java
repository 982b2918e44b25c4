package io.photoapp.jwt.cli;

import io.photoapp.jwt.api.Labels;
import java.time.Instant;

/** One rotation the CLI asked for: which JwtSecret, planned or emergency, and the requested time. */
record RotationRequest(String namespace, String name, boolean emergency, Instant requestedAt) {
  String annotation() {
    return emergency ? Labels.INVALIDATE_BEFORE : Labels.ROTATE_AFTER;
  }

  String where() {
    return namespace + "/" + name;
  }
}
