package io.photoapp.jwt.keys;

import io.photoapp.jwt.api.Algorithm;

/** One key for the JWK set: its value, id, algorithm and whether it may sign. */
public record JwkEntry(KeyValue key, String keyId, Algorithm algorithm, boolean signing) {}
