package io.photoapp.jwt.policy;

import io.photoapp.jwt.api.Encoding;
import java.util.HashMap;
import java.util.Map;

/** Entropy estimates of a key string the operator did not generate. */
public final class Entropy {
  /** Below this many bits per character (Shannon), a key is low-entropy (e.g. 64 times "a"). */
  public static final double LOW_SHANNON_BITS_PER_CHAR = 3.0;
  private static final int PRINTABLE_ASCII = 95;

  private Entropy() {}

  /** length × log2 of the smallest standard alphabet holding every character the key uses. */
  public static double estimatedBits(String key) {
    return key.length() * log2(alphabetSize(key));
  }

  public static int alphabetSize(String key) {
    for (Encoding e : new Encoding[] {Encoding.HEX, Encoding.URLSAFE, Encoding.BASE64, Encoding.SECURE}) {
      String alphabet = e == Encoding.BASE64 ? e.alphabet() + "=" : e.alphabet();
      if (key.chars().allMatch(c -> alphabet.indexOf(c) >= 0)) {
        return e.alphabet().length();
      }
    }
    boolean ascii = key.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return ascii ? PRINTABLE_ASCII : 256;
  }

  /** Shannon entropy in bits per character of the key's own character frequencies. */
  public static double shannonBitsPerChar(String key) {
    if (key.isEmpty()) {
      return 0;
    }
    Map<Integer, Integer> counts = new HashMap<>();
    key.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
    double n = key.codePoints().count();
    double h = 0;
    for (int count : counts.values()) {
      double p = count / n;
      h -= p * log2(p);
    }
    return h;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
