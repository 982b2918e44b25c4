package io.photoapp.jwt.audit;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which names of Secret data keys and environment variables the audit reads, and what their literal values mean. */
public final class JwtEnvNames {
  private static final Set<String> DEBUG_NAMES = Set.of("debug", "flask_debug", "django_debug", "app_debug");
  private static final Set<String> DEBUG_ON = Set.of("true", "1", "yes", "on");
  private static final Set<String> TOKEN_LIFETIME_NAMES = Set.of("jwt_access_token_expire_minutes",
      "access_token_expire_minutes");
  /** Longest literal read as a number of minutes; anything longer is not a setting. */
  private static final int MAX_MINUTES_DIGITS = 9;

  private JwtEnvNames() {}

  /**
   * Whether a data key or variable names a JWT key: {@code JWT_SECRET_KEY}, {@code jwt-secret},
   * {@code jwtSecret}, {@code jwt_key}, … (case-insensitive; separators ignored).
   */
  public static boolean looksLikeJwtKey(String name) {
    if (name == null) {
      return false;
    }
    String k = name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
    return k.contains("jwt") && (k.contains("secret") || k.contains("jwtkey"));
  }

  /**
   * Whether a variable names where a key is rather than holding it ({@code JWT_SECRET_KEY_FILE},
   * {@code JWT_SECRET_PATH}): the file-mount variant sets such a variable to a path.
   */
  public static boolean namesAFile(String name) {
    String k = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
    return k.endsWith("file") || k.endsWith("path") || k.endsWith("dir") || k.endsWith("url");
  }

  /** Whether a variable switches an app's debug mode ({@code DEBUG}, {@code FLASK_DEBUG}, …). */
  public static boolean isDebug(String name) {
    return name != null && DEBUG_NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Whether a literal debug value turns debug mode on ({@code true}, {@code 1}, {@code yes}, {@code on}). */
  public static boolean debugOn(String value) {
    return value != null && DEBUG_ON.contains(value.trim().toLowerCase(Locale.ROOT));
  }

  /** Whether a variable sets the access tokens' lifetime in minutes ({@code JWT_ACCESS_TOKEN_EXPIRE_MINUTES}). */
  public static boolean isTokenLifetime(String name) {
    return name != null && TOKEN_LIFETIME_NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** The minutes a literal token lifetime sets, or empty when it is not a whole number. */
  public static Optional<Integer> minutes(String value) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty() || v.length() > MAX_MINUTES_DIGITS || !v.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(v));
  }
}
