package io.photoapp.jwt.keys;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import java.security.SecureRandom;

/** Makes random keys: HMAC keys of an exact length from an encoding's alphabet, and asymmetric key pairs. */
public final class KeyGenerator {
  public static final int MIN_LENGTH = 32;
  public static final int MAX_LENGTH = 4096;

  private final SecureRandom random;

  public KeyGenerator() {
    this(new SecureRandom());
  }

  public KeyGenerator(SecureRandom random) {
    this.random = random;
  }

  /**
   * A key of exactly {@code length} characters, each drawn uniformly from the encoding's alphabet,
   * which is the same as encoding {@code length × bitsPerCharacter} random bits.
   */
  public KeyValue generate(Encoding encoding, int length) {
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "key length must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " characters, got " + length);
    }
    String alphabet = encoding.alphabet();
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    String key = new String(chars);
    java.util.Arrays.fill(chars, '\0');
    return KeyValue.of(key);
  }

  /**
   * A new key pair for an asymmetric algorithm, as its private JWK (see {@link AsymmetricKeys});
   * {@code rsaBits} is the modulus size of RSA keys and counts for nothing else.
   */
  public KeyValue generateKeyPair(Algorithm algorithm, int rsaBits) {
    return AsymmetricKeys.generate(algorithm, rsaBits, random);
  }

  /** Entropy in bits of a key this generator makes. */
  public static double entropyBits(Encoding encoding, int length) {
    return length * encoding.bitsPerCharacter();
  }

  /** The shortest length whose entropy meets {@code bits} in this encoding. */
  public static int lengthFor(Encoding encoding, int bits) {
    return (int) Math.ceil(bits / encoding.bitsPerCharacter() - 1e-9);
  }
}
