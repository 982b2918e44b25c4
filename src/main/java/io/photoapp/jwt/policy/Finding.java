package io.photoapp.jwt.policy;

/** One rule a JwtSecret breaks or is warned about; the message never holds key material. */
public record Finding(String rule, Severity severity, String message) {
  public static final String MINIMUM_LENGTH = "minimum-length";
  public static final String ENTROPY = "entropy";
  public static final String WEAK_KEY = "weak-key";
  public static final String LOW_ENTROPY = "low-entropy";
  public static final String TOKEN_LIFETIME = "token-lifetime";
  public static final String ROTATION_INTERVAL = "rotation-interval";
  public static final String KEY_AGE = "key-age";
  public static final String GRACE_PERIOD = "grace-period";
  public static final String DUPLICATE_KEY = "duplicate-key";
  /** Asymmetric keys: the value is a private JWK of the algorithm's key type. */
  public static final String KEY_TYPE = "key-type";
  /** RSA keys: the modulus is large enough for the profile. */
  public static final String KEY_SIZE = "key-size";
  /** EC and EdDSA keys: the curve is the algorithm's. */
  public static final String KEY_CURVE = "key-curve";

  public static Finding violation(String rule, String message) {
    return new Finding(rule, Severity.VIOLATION, message);
  }

  public static Finding warning(String rule, String message) {
    return new Finding(rule, Severity.WARNING, message);
  }

  public boolean isViolation() {
    return severity == Severity.VIOLATION;
  }

  /** Rules about the key itself: a key breaking one is never written, and an existing one is replaced. */
  public boolean aboutKey() {
    return switch (rule) {
      case MINIMUM_LENGTH, ENTROPY, WEAK_KEY, LOW_ENTROPY, DUPLICATE_KEY, KEY_TYPE, KEY_SIZE, KEY_CURVE -> true;
      default -> false;
    };
  }

  /** "rule: message; rule: message" of the violations among the findings. */
  public static String violationsText(java.util.List<Finding> findings) {
    return String.join("; ", findings.stream().filter(Finding::isViolation).map(Finding::toString).toList());
  }

  @Override
  public String toString() {
    return rule + ": " + message;
  }
}
