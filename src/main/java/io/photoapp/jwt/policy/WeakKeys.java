package io.photoapp.jwt.policy;

import java.util.Locale;
import java.util.Set;

/** Known weak, default and placeholder values that must never sign a token. */
public final class WeakKeys {
  private static final Set<String> EXACT = Set.of(
      "password", "password123", "secret", "secret123", "changeme", "change-me", "change_me",
      "super-secret-key", "supersecretkey", "super_secret_key", "same_secret_everywhere",
      "generate_unique_64_char_secret_for_production", "your-secret-key", "your_secret_key",
      "your-256-bit-secret", "jwt-secret", "jwt_secret", "jwtsecret", "mysecret", "my-secret",
      "secretkey", "secret-key", "secret_key", "test", "testing", "development", "dev-secret",
      "default", "example", "placeholder", "todo", "xxx", "123456", "12345678", "qwerty",
      "letmein", "admin", "notasecret", "insecure", "s3cr3t", "topsecret");
  /** Markers that only a placeholder would contain; a random key of 32+ characters never does. */
  private static final String[] MARKERS = {
      "change_me", "changeme", "change-me", "replace_me", "replace-me", "replaceme",
      "generate_unique", "your-secret", "your_secret", "yoursecret", "placeholder",
      "insert_", "example-secret", "example_secret", "same_secret", "super-secret", "super_secret",
      "supersecret", "not-a-secret", "not_a_secret", "dummy", "password"};

  private WeakKeys() {}

  public static boolean isKnownWeak(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    if (EXACT.contains(k)) {
      return true;
    }
    for (String marker : MARKERS) {
      if (k.contains(marker)) {
        return true;
      }
    }
    return false;
  }
}
