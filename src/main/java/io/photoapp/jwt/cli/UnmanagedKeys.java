package io.photoapp.jwt.cli;

import io.photoapp.jwt.audit.JwtEnvNames;
import io.photoapp.jwt.audit.KeyValueChecks;
import io.photoapp.jwt.policy.Finding;
import java.util.List;

/** Spots JWT keys in Secrets the operator does not manage, and judges their values; messages never hold a value. */
final class UnmanagedKeys {
  private UnmanagedKeys() {}

  /**
   * Whether a data key names a JWT key: {@code JWT_SECRET_KEY}, {@code jwt-secret}, {@code jwtSecret},
   * {@code jwt_key}, … (case-insensitive; separators ignored).
   */
  static boolean looksLikeJwtKey(String dataKey) {
    return JwtEnvNames.looksLikeJwtKey(dataKey);
  }

  /** The rules every profile shares about a key's value: weak or placeholder, short, low entropy. */
  static List<Finding> judge(String value) {
    return KeyValueChecks.judge(value);
  }
}
