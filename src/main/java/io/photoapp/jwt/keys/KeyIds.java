package io.photoapp.jwt.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetSequenceKey;

/** Key ids: the RFC 7638 thumbprint of the key's JWK, first 16 characters. */
public final class KeyIds {
  public static final int LENGTH = 16;

  private KeyIds() {}

  /** The key id of an HMAC key whose JWK {@code k} is the UTF-8 bytes of the key string. */
  public static String of(KeyValue key) {
    try {
      String thumbprint = new OctetSequenceKey.Builder(key.utf8()).build().computeThumbprint().toString();
      return thumbprint.substring(0, LENGTH);
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
