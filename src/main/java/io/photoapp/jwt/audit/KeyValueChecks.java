package io.photoapp.jwt.audit;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.policy.Entropy;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.WeakKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every profile shares about a key value found outside the operator's Secrets (an
 * unmanaged Secret, a literal in a pod spec): weak or placeholder, short, low entropy. Messages
 * never hold the value.
 */
public final class KeyValueChecks {
  private KeyValueChecks() {}

  public static List<Finding> judge(String value) {
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
