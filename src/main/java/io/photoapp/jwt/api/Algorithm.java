package io.photoapp.jwt.api;

/** JWS algorithms the operator can make keys for: HMAC (a shared secret) and asymmetric (a key pair). */
public enum Algorithm {
  HS256(Family.HMAC, 256, null),
  HS384(Family.HMAC, 384, null),
  HS512(Family.HMAC, 512, null),
  RS256(Family.RSA, 256, null),
  RS384(Family.RSA, 384, null),
  RS512(Family.RSA, 512, null),
  PS256(Family.RSA, 256, null),
  PS384(Family.RSA, 384, null),
  PS512(Family.RSA, 512, null),
  ES256(Family.EC, 256, "P-256"),
  ES384(Family.EC, 384, "P-384"),
  ES512(Family.EC, 512, "P-521"),
  EdDSA(Family.OKP, 512, "Ed25519");

  /** The kind of key an algorithm signs with, named after the JWK key type (RFC 7518, RFC 8037). */
  public enum Family {
    /** A shared secret: JWK kty {@code oct}. */
    HMAC("oct"),
    RSA("RSA"),
    EC("EC"),
    /** Octet key pairs (Ed25519): JWK kty {@code OKP}. */
    OKP("OKP");

    private final String keyType;

    Family(String keyType) {
      this.keyType = keyType;
    }

    /** The JWK {@code kty}. */
    public String keyType() {
      return keyType;
    }
  }

  private final Family family;
  private final int hashBits;
  private final String curve;

  Algorithm(Family family, int hashBits, String curve) {
    this.family = family;
    this.hashBits = hashBits;
    this.curve = curve;
  }

  public Family family() {
    return family;
  }

  public boolean isHmac() {
    return family == Family.HMAC;
  }

  /** Signs with a private key and verifies with a public one that may be served. */
  public boolean isAsymmetric() {
    return family != Family.HMAC;
  }

  /** The JWK curve name for EC and EdDSA keys ({@code P-256}, {@code P-384}, {@code P-521}, {@code Ed25519}); null otherwise. */
  public String curve() {
    return curve;
  }

  /** RFC 7518 section 3.2: an HMAC key needs at least as many bits of entropy as the hash. */
  public int minimumEntropyBits() {
    return hashBits;
  }

  public static java.util.Optional<Algorithm> parse(String name) {
    for (Algorithm a : values()) {
      if (a.name().equals(name)) {
        return java.util.Optional.of(a);
      }
    }
    return java.util.Optional.empty();
  }
}
