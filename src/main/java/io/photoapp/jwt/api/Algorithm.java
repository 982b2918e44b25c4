package io.photoapp.jwt.api;

/** JWS algorithms the operator can make keys for. */
public enum Algorithm {
  HS256(256),
  HS384(384),
  HS512(512);

  private final int hashBits;

  Algorithm(int hashBits) {
    this.hashBits = hashBits;
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
