package io.photoapp.jwt.api;

/** The two kinds of store a JwtSecret may name. */
public enum StoreKind {
  JwtSecretStore,
  ClusterJwtSecretStore
}
