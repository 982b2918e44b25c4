package io.photoapp.jwt.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.photoapp.jwt.api.Algorithm;

/** Key ids: the RFC 7638 thumbprint of the key's JWK, first 16 characters. */
public final class KeyIds {
  public static final int LENGTH = 16;

  private KeyIds() {}

  /** The key id of an HMAC key whose JWK {@code k} is the UTF-8 bytes of the key string. */
  public static String of(KeyValue key) {
    return thumbprint(new OctetSequenceKey.Builder(key.utf8()).build());
  }

  /**
   * The key id of a key of this algorithm: for an asymmetric one, the thumbprint of its public JWK
   * (the same as the private JWK's: RFC 7638 hashes only the public members). A value that holds no
   * private JWK is identified as HMAC keys are, so that every value has a stable id.
   */
  public static String of(KeyValue key, Algorithm algorithm) {
    if (algorithm.isAsymmetric()) {
      var jwk = AsymmetricKeys.parsePrivate(key);
      if (jwk.isPresent()) {
        return thumbprint(jwk.get());
      }
    }
    return of(key);
  }

  static String thumbprint(JWK jwk) {
    try {
      return jwk.computeThumbprint().toString().substring(0, LENGTH);
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
