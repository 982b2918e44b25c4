package io.photoapp.jwt.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.photoapp.jwt.api.Algorithm;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asymmetric signing keys (RSA, EC, Ed25519). The key value the Secret holds for one is its private
 * JWK as JSON, with {@code kid} (the key id), {@code alg} and {@code use: sig}; everything else (the
 * public JWK, the PEM files) is derived from it. Nothing here puts key material in an exception message.
 */
public final class AsymmetricKeys {
  public static final int DEFAULT_RSA_BITS = 3072;
  public static final int MIN_RSA_BITS = 2048;
  public static final int MAX_RSA_BITS = 8192;

  /** RFC 8410: PKCS#8 PrivateKeyInfo of an Ed25519 key, up to the 32-byte seed. */
  private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");
  /** RFC 8410: SubjectPublicKeyInfo of an Ed25519 key, up to the 32-byte public key. */
  private static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");

  private AsymmetricKeys() {}

  /** A new key pair for the algorithm, as its private JWK; {@code rsaBits} counts only for RSA. */
  static KeyValue generate(Algorithm algorithm, int rsaBits, SecureRandom random) {
    JWK jwk;
    try {
      jwk = switch (algorithm.family()) {
        case RSA -> {
          if (rsaBits < MIN_RSA_BITS || rsaBits > MAX_RSA_BITS) {
            throw new IllegalArgumentException(
                "RSA key size must be between " + MIN_RSA_BITS + " and " + MAX_RSA_BITS + " bits, got " + rsaBits);
          }
          yield new RSAKeyGenerator(rsaBits).secureRandom(random).generate();
        }
        case EC -> new ECKeyGenerator(Curve.parse(algorithm.curve())).secureRandom(random).generate();
        case OKP -> new OctetKeyPairGenerator(Curve.Ed25519).secureRandom(random).generate();
        case HMAC -> throw new IllegalArgumentException(algorithm + " is not an asymmetric algorithm");
      };
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key: " + e.getClass().getSimpleName(), e);
    }
    return KeyValue.of(normalized(jwk, algorithm, KeyIds.thumbprint(jwk), List.of()).toJSONString());
  }

  /**
   * The private RSA, EC or OKP JWK a key value holds; empty when it holds anything else (a public
   * JWK, an HMAC string, JSON that is no key).
   */
  public static Optional<JWK> parsePrivate(KeyValue value) {
    String text = value.reveal().trim();
    if (!text.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JWK jwk = JWK.parse(text);
      boolean asymmetric = jwk instanceof RSAKey || jwk instanceof ECKey || jwk instanceof OctetKeyPair;
      return asymmetric && jwk.isPrivate() ? Optional.of(jwk) : Optional.empty();
    } catch (java.text.ParseException | RuntimeException e) {
      // The parser's message may quote the value: dropped on purpose.
      return Optional.empty();
    }
  }

  /** What {@link #isKeyPair} signs with an Ed25519 key: any fixed message does. */
  private static final byte[] PAIR_CHECK = "jwt-secret-operator key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Whether a private JWK's private part belongs to its public part. The public members are public (a
   * published JWK Set gives them to anyone), so a JWK of someone else's public key and a made-up
   * private part is no key of theirs ({@link KeyIds#ofClaimed}). RSA: the prime factors multiply to
   * the modulus (knowing them is knowing the key), or without them the private exponent inverts the
   * public one, for moduli of at most {@link #MAX_RSA_BITS} bits (a tenant's giant modulus must not
   * cost a modPow of its size); EC: the private scalar times the curve's generator has the public
   * point's x (ECDH with the generator: a third of a signature and its check); Ed25519: a signature
   * made with the private part verifies with the public part.
   */
  static boolean isKeyPair(JWK jwk) {
    try {
      if (jwk instanceof RSAKey rsa) {
        return isRsaPair(rsa);
      }
      if (jwk instanceof ECKey ec) {
        java.security.spec.ECParameterSpec params = ec.getCurve().toECParameterSpec();
        java.security.PublicKey generator = java.security.KeyFactory.getInstance("EC")
            .generatePublic(new java.security.spec.ECPublicKeySpec(params.getGenerator(), params));
        javax.crypto.KeyAgreement ecdh = javax.crypto.KeyAgreement.getInstance("ECDH");
        ecdh.init(ec.toECPrivateKey());
        ecdh.doPhase(generator, true);
        return new java.math.BigInteger(1, ecdh.generateSecret()).equals(ec.getX().decodeToBigInteger())
            && ec.toECPublicKey() != null;
      }
      if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        com.nimbusds.jose.JWSHeader header = new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.EdDSA);
        return new com.nimbusds.jose.crypto.Ed25519Verifier(okp.toPublicJWK())
            .verify(header, PAIR_CHECK, new com.nimbusds.jose.crypto.Ed25519Signer(okp).sign(header, PAIR_CHECK));
      }
      return false;
    } catch (JOSEException | java.security.GeneralSecurityException | RuntimeException e) {
      // A key that cannot be checked is no pair; the message may quote the key: dropped.
      return false;
    }
  }

  private static boolean isRsaPair(RSAKey rsa) {
    java.math.BigInteger n = rsa.getModulus().decodeToBigInteger();
    java.math.BigInteger one = java.math.BigInteger.ONE;
    if (rsa.getFirstPrimeFactor() != null && rsa.getSecondPrimeFactor() != null) {
      java.math.BigInteger p = rsa.getFirstPrimeFactor().decodeToBigInteger();
      java.math.BigInteger q = rsa.getSecondPrimeFactor().decodeToBigInteger();
      return p.compareTo(one) > 0 && q.compareTo(one) > 0 && p.multiply(q).equals(n);
    }
    if (rsa.getPrivateExponent() == null || n.bitLength() > MAX_RSA_BITS || n.compareTo(java.math.BigInteger.TEN) < 0) {
      return false;
    }
    java.math.BigInteger e = rsa.getPublicExponent().decodeToBigInteger();
    java.math.BigInteger d = rsa.getPrivateExponent().decodeToBigInteger();
    if (e.compareTo(n) >= 0 || d.compareTo(n) >= 0 || e.signum() <= 0 || d.signum() <= 0) {
      return false;
    }
    java.math.BigInteger m = java.math.BigInteger.TWO;
    return m.modPow(e, n).modPow(d, n).equals(m);
  }

  /** The private JWK as {@code private.jwk.json} holds it: {@code kid}, {@code alg} and {@code use: sig}. */
  public static Optional<String> privateJwkJson(KeyValue value, Algorithm algorithm, String keyId) {
    return parsePrivate(value).map(jwk -> normalized(jwk, algorithm, keyId, List.of()).toJSONString());
  }

  /** The private JWK for {@code jwks-secret.json}: {@code kid}, {@code alg} and {@code key_ops} instead of {@code use}. */
  static Optional<JWK> privateJwk(KeyValue value, Algorithm algorithm, String keyId, List<KeyOperation> ops) {
    return parsePrivate(value).map(jwk -> normalized(jwk, algorithm, keyId, ops));
  }

  /** The public JWK for verifiers: {@code kid}, {@code alg} and {@code use: sig}, no private part. */
  static Optional<JWK> publicJwk(KeyValue value, Algorithm algorithm, String keyId) {
    return parsePrivate(value).map(jwk -> normalized(jwk, algorithm, keyId, List.of()).toPublicJWK());
  }

  /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) of the private key. */
  public static Optional<String> privatePem(KeyValue value) {
    return parsePrivate(value).flatMap(jwk -> der(() -> {
      if (jwk instanceof OctetKeyPair okp) {
        return concat(ED25519_PKCS8_PREFIX, okp.getDecodedD());
      }
      return ((com.nimbusds.jose.jwk.AsymmetricJWK) jwk).toPrivateKey().getEncoded();
    })).map(der -> pem("PRIVATE KEY", der));
  }

  /** SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}) of the public key. */
  public static Optional<String> publicPem(KeyValue value) {
    return parsePrivate(value).flatMap(jwk -> der(() -> {
      if (jwk instanceof OctetKeyPair okp) {
        return concat(ED25519_SPKI_PREFIX, okp.getDecodedX());
      }
      return ((com.nimbusds.jose.jwk.AsymmetricJWK) jwk).toPublicKey().getEncoded();
    })).map(der -> pem("PUBLIC KEY", der));
  }

  /** The modulus size in bits of an RSA key; 0 for other keys. */
  public static int rsaBits(JWK jwk) {
    return jwk instanceof RSAKey rsa ? rsa.getModulus().decodeToBigInteger().bitLength() : 0;
  }

  /** The curve of an EC or OKP key; null for RSA. */
  public static String curve(JWK jwk) {
    if (jwk instanceof ECKey ec) {
      return ec.getCurve().getName();
    }
    if (jwk instanceof OctetKeyPair okp) {
      return okp.getCurve().getName();
    }
    return null;
  }

  private static JWK normalized(JWK jwk, Algorithm algorithm, String keyId, List<KeyOperation> ops) {
    Map<String, Object> json = new LinkedHashMap<>(jwk.toJSONObject());
    json.remove("use");
    json.remove("key_ops");
    json.put("alg", algorithm.name());
    json.put("kid", keyId);
    if (ops.isEmpty()) {
      json.put("use", KeyUse.SIGNATURE.identifier());
    } else {
      json.put("key_ops", ops.stream().map(KeyOperation::identifier).toList());
    }
    try {
      return JWK.parse(json);
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("a parsed JWK no longer parses", null);
    }
  }

  private interface DerSource {
    byte[] get() throws JOSEException;
  }

  private static Optional<byte[]> der(DerSource source) {
    try {
      return Optional.ofNullable(source.get());
    } catch (JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** The key_ops of a key in {@code jwks-secret.json}: sign and verify for the current key, verify for the others. */
  static List<KeyOperation> ops(boolean signing) {
    return signing ? List.of(KeyOperation.SIGN, KeyOperation.VERIFY) : List.of(KeyOperation.VERIFY);
  }
}
