package io.photoapp.jwt.cli;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.policy.Entropy;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.WeakKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Spots JWT keys in Secrets the operator does not manage, and judges their values; messages never hold a value. */
final class UnmanagedKeys {
  private UnmanagedKeys() {}

  /**
   * Whether a data key names a JWT key: {@code JWT_SECRET_KEY}, {@code jwt-secret}, {@code jwtSecret},
   * {@code jwt_key}, … (case-insensitive; separators ignored).
   */
  static boolean looksLikeJwtKey(String dataKey) {
    String k = dataKey.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
    return k.contains("jwt") && (k.contains("secret") || k.contains("jwtkey"));
  }

  /** The rules every profile shares about a key's value: weak or placeholder, short, low entropy. */
  static List<Finding> judge(String value) {
    List<Finding> findings = new ArrayList<>();
    if (WeakKeys.isKnownWeak(value)) {
      findings.add(Finding.violation(Finding.WEAK_KEY, "the value is a known weak or placeholder value"));
    }
    if (value.length() < KeyGenerator.MIN_LENGTH) {
      findings.add(Finding.violation(Finding.MINIMUM_LENGTH, "the value has " + value.length()
          + " characters; a JWT key needs at least " + KeyGenerator.MIN_LENGTH + " (64 for production)"));
    }
    double shannon = Entropy.shannonBitsPerChar(value);
    if (shannon < Entropy.LOW_SHANNON_BITS_PER_CHAR) {
      findings.add(Finding.violation(Finding.LOW_ENTROPY, String.format(
          "the value repeats too few characters (%.1f bits per character, at least %.0f needed)",
          shannon, Entropy.LOW_SHANNON_BITS_PER_CHAR)));
    }
    double bits = Entropy.estimatedBits(value);
    if (bits < Algorithm.HS256.minimumEntropyBits()) {
      findings.add(Finding.violation(Finding.ENTROPY, String.format(
          "the value has about %.0f bits of entropy; HS256 needs at least %d (RFC 7518 section 3.2)",
          bits, Algorithm.HS256.minimumEntropyBits())));
    }
    return findings;
  }
}
