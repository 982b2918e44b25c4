package io.photoapp.jwt.policy;

import com.nimbusds.jose.jwk.JWK;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.keys.AsymmetricKeys;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.spec.Durations;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The profile rules as pure functions; each returns findings and never throws. */
public final class PolicyRules {
  private PolicyRules() {}

  /**
   * Rules about a key that exists (adopted, edited or generated earlier). HMAC keys are judged by
   * their characters (weak values, length, entropy); asymmetric keys by their type, size and curve.
   */
  public static List<Finding> judgeKey(String key, Algorithm algorithm, Profile profile) {
    if (algorithm.isAsymmetric()) {
      return judgeKeyPair(KeyValue.of(key), algorithm, profile);
    }
    List<Finding> findings = new ArrayList<>();
    if (WeakKeys.isKnownWeak(key)) {
      findings.add(Finding.violation(Finding.WEAK_KEY, "the key is a known weak or placeholder value"));
    }
    if (key.length() < profile.minimumLength()) {
      findings.add(Finding.violation(Finding.MINIMUM_LENGTH,
          "the key has " + key.length() + " characters; " + profile.environment().value()
              + " requires at least " + profile.minimumLength()));
    }
    double shannon = Entropy.shannonBitsPerChar(key);
    if (shannon < Entropy.LOW_SHANNON_BITS_PER_CHAR) {
      findings.add(Finding.violation(Finding.LOW_ENTROPY,
          String.format("the key repeats too few characters (%.1f bits per character, at least %.0f needed)",
              shannon, Entropy.LOW_SHANNON_BITS_PER_CHAR)));
    }
    double bits = Entropy.estimatedBits(key);
    if (bits < algorithm.minimumEntropyBits()) {
      findings.add(Finding.violation(Finding.ENTROPY, String.format(
          "the key has about %.0f bits of entropy; %s needs at least %d (RFC 7518 section 3.2)",
          bits, algorithm, algorithm.minimumEntropyBits())));
    }
    return findings;
  }

  /** The rules of the profile's table for asymmetric keys. */
  private static List<Finding> judgeKeyPair(KeyValue key, Algorithm algorithm, Profile profile) {
    Optional<JWK> parsed = AsymmetricKeys.parsePrivate(key);
    String keyType = algorithm.family().keyType();
    if (parsed.isEmpty() || !parsed.get().getKeyType().getValue().equals(keyType)) {
      return List.of(Finding.violation(Finding.KEY_TYPE,
          "the key is not a private " + keyType + " JWK, which " + algorithm + " needs"));
    }
    JWK jwk = parsed.get();
    List<Finding> findings = new ArrayList<>();
    if (algorithm.family() == Algorithm.Family.RSA) {
      int bits = AsymmetricKeys.rsaBits(jwk);
      if (bits < profile.minimumRsaBits()) {
        findings.add(Finding.violation(Finding.KEY_SIZE, "the RSA key has a " + bits + "-bit modulus; "
            + profile.environment().value() + " requires at least " + profile.minimumRsaBits()));
      }
    } else if (!algorithm.curve().equals(AsymmetricKeys.curve(jwk))) {
      findings.add(Finding.violation(Finding.KEY_CURVE, "the key is on curve " + AsymmetricKeys.curve(jwk) + "; "
          + algorithm + " needs " + algorithm.curve()));
    }
    return findings;
  }

  /** Rules about the keys the spec would make: the operator refuses to generate one that breaks them. */
  public static List<Finding> judgePlannedKey(EffectiveSpec spec, Profile profile) {
    if (spec.algorithm().isAsymmetric()) {
      if (spec.algorithm().family() == Algorithm.Family.RSA && spec.size() < profile.minimumRsaBits()) {
        return List.of(Finding.violation(Finding.KEY_SIZE, "spec.key.size " + spec.size() + " is under "
            + profile.environment().value() + "'s minimum of " + profile.minimumRsaBits() + " bits"));
      }
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    if (spec.length() < profile.minimumLength()) {
      findings.add(Finding.violation(Finding.MINIMUM_LENGTH,
          "spec.key.length " + spec.length() + " is under " + profile.environment().value()
              + "'s minimum of " + profile.minimumLength()));
    }
    double bits = KeyGenerator.entropyBits(spec.encoding(), spec.length());
    if (bits < spec.algorithm().minimumEntropyBits()) {
      findings.add(Finding.violation(Finding.ENTROPY, String.format(
          "spec.key.length %d in %s gives %.0f bits of entropy; %s needs at least %d (length %d or more)",
          spec.length(), spec.encoding().value(), bits, spec.algorithm(), spec.algorithm().minimumEntropyBits(),
          KeyGenerator.lengthFor(spec.encoding(), spec.algorithm().minimumEntropyBits()))));
    }
    return findings;
  }

  /** Rules about settings: reported, but they do not stop the operator from managing the key. */
  public static List<Finding> judgeSettings(EffectiveSpec spec, Profile profile, Instant keyCreatedAt, Instant now) {
    List<Finding> findings = new ArrayList<>();
    int minutes = spec.tokenLifetimeMinutes();
    if (minutes > profile.maxTokenMinutes()) {
      findings.add(Finding.violation(Finding.TOKEN_LIFETIME,
          "token lifetime " + minutes + "m exceeds " + profile.environment().value() + "'s limit of "
              + profile.maxTokenMinutes() + "m"));
    } else if (profile.recommendedTokenMinutes().isPresent() && minutes > profile.recommendedTokenMinutes().get()) {
      findings.add(Finding.warning(Finding.TOKEN_LIFETIME,
          "token lifetime " + minutes + "m is above the recommended " + profile.recommendedTokenMinutes().get() + "m"));
    }
    if (profile.maxRotationInterval().isPresent()) {
      Duration max = profile.maxRotationInterval().get();
      Duration interval = spec.schedule().longestInterval(now);
      if (interval.compareTo(max) > 0) {
        findings.add(Finding.violation(Finding.ROTATION_INTERVAL,
            "schedule \"" + spec.schedule().expression() + "\" rotates every " + Durations.format(interval)
                + "; " + profile.environment().value() + " allows at most " + max.toDays() + " days"));
      }
      if (spec.paused()) {
        findings.add(Finding.violation(Finding.ROTATION_INTERVAL,
            "scheduled rotation is paused; " + profile.environment().value() + " requires rotation at least every "
                + max.toDays() + " days"));
      }
      if (keyCreatedAt != null && Duration.between(keyCreatedAt, now).compareTo(max) > 0) {
        findings.add(Finding.violation(Finding.KEY_AGE,
            "the current key is " + Duration.between(keyCreatedAt, now).toDays() + " days old; "
                + profile.environment().value() + " allows at most " + max.toDays()));
      }
    }
    if (spec.gracePeriod().compareTo(spec.tokenLifetime()) < 0) {
      String message = "grace period " + Durations.format(spec.gracePeriod()) + " is shorter than the token lifetime "
          + minutes + "m; the previous key is kept for " + minutes + "m";
      findings.add(profile.graceShorterThanLifetimeIsViolation()
          ? Finding.violation(Finding.GRACE_PERIOD, message)
          : Finding.warning(Finding.GRACE_PERIOD, message));
    }
    return findings;
  }

  /** The violation reported on the later of two JwtSecrets holding the same key; it never names the other. */
  public static Finding duplicateKey() {
    return Finding.violation(Finding.DUPLICATE_KEY,
        "the key is also used by another JwtSecret in the cluster; every environment needs its own key");
  }
}
