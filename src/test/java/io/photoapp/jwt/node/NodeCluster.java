package io.photoapp.jwt.node;

/** Placeholder, filled below. */
final class NodeCluster {
  static final String PAUSE_IMAGE = "localhost/jwt-e2e/pause:3.4.1";
  static final String APP_IMAGE = "localhost/jwt-e2e/photo-app:1";
}
