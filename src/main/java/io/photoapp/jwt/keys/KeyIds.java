package io.photoapp.jwt.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.photoapp.jwt.api.Algorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Key ids: the RFC 7638 thumbprint of the key's JWK, first 16 characters. */
public final class KeyIds {
  public static final int LENGTH = 16;

  private KeyIds() {}

  /** The members of an {@code oct} JWK's RFC 7638 thumbprint input around the base64url of its {@code k}. */
  private static final byte[] OCT_BEFORE = "{\"k\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OCT_AFTER = "\",\"kty\":\"oct\"}".getBytes(StandardCharsets.US_ASCII);

  /**
   * The key id of an HMAC key whose JWK {@code k} is the UTF-8 bytes of the key string: RFC 7638's hash of
   * {@code {"k":"…","kty":"oct"}}, as nimbus computes it for an {@link OctetSequenceKey}, hashed here
   * without nimbus's JSON writer (its shaded Gson: 137 classes that an operator of HMAC keys then never loads).
   */
  public static String of(KeyValue key) {
    MessageDigest sha256 = sha256();
    sha256.update(OCT_BEFORE);
    sha256.update(Base64.getUrlEncoder().withoutPadding().encode(key.utf8()));
    sha256.update(OCT_AFTER);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest()).substring(0, LENGTH);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
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

  /**
   * The key id of a value found in a Secret that anyone may have written (the cache's index of
   * labelled Secrets, the audit): as {@link #of(KeyValue, Algorithm)}, but an asymmetric value gets
   * its public thumbprint only when its private part belongs to its public part
   * ({@link AsymmetricKeys#isKeyPair}); otherwise it is identified as HMAC keys are. The public members
   * alone are public: a JWK made of another JwtSecret's public key and a made-up private part must not
   * pass for that key, or the duplicate-key rule would replace that JwtSecret's key at the forger's will.
   */
  public static String ofClaimed(KeyValue key, Algorithm algorithm) {
    if (algorithm.isAsymmetric()) {
      var jwk = AsymmetricKeys.parsePrivate(key);
      if (jwk.isPresent() && AsymmetricKeys.isKeyPair(jwk.get())) {
        return thumbprint(jwk.get());
      }
    }
    return of(key);
  }

  /**
   * What the duplicate-key index files a key found in a Secret under: an HMAC key's id; for an asymmetric
   * key, a hash of its public thumbprint and its private member {@code d}. The public members alone are
   * public (a published JWK Set gives them to anyone): a JWK of another JwtSecret's public key and a
   * made-up private part must not pass for that key, or the duplicate-key rule would replace that
   * JwtSecret's key at the forger's will; a copy of the key itself holds the same {@code d}. A hash, not a
   * check that the two parts belong together ({@link #ofClaimed}): the index runs on every Secret event.
   */
  public static String holding(KeyValue key, Algorithm algorithm) {
    if (algorithm.isAsymmetric()) {
      var jwk = AsymmetricKeys.parsePrivate(key);
      Object d = jwk.map(j -> j.toJSONObject().get("d")).orElse(null);
      if (d != null) {
        MessageDigest sha256 = sha256();
        sha256.update((thumbprint(jwk.get()) + "." + d).getBytes(StandardCharsets.US_ASCII));
        return HOLDING + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest()).substring(0, LENGTH);
      }
    }
    return of(key);
  }

  /** Marks {@link #holding}'s hash of a key pair apart from every key id (16 base64url characters). */
  private static final String HOLDING = "pair:";

  static String thumbprint(JWK jwk) {
    try {
      return jwk.computeThumbprint().toString().substring(0, LENGTH);
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
