package io.photoapp.jwt.restart;

import io.photoapp.jwt.api.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The pod-template annotation one JwtSecret sets on each of its targets. */
public final class KeySetAnnotation {
  private static final int LONGEST_NAME = 40;

  private KeySetAnnotation() {}

  /**
   * The form of a shortened name: 31 characters, {@code -}, 8 hex digits (40 characters). A name of
   * exactly that form is shortened too: kept as it is, it would be another JwtSecret's shortened name,
   * and the two would overwrite each other's annotation on a workload they share.
   */
  private static final java.util.regex.Pattern SHORTENED = java.util.regex.Pattern.compile(".{31}-[0-9a-f]{8}");

  /**
   * {@code jwt.photoapp.io/key-set.<name>}; names over 40 characters, and names of 40 that have the
   * shortened form, are shortened with a hash.
   */
  public static String nameFor(String jwtSecretName) {
    if (jwtSecretName.length() < LONGEST_NAME
        || jwtSecretName.length() == LONGEST_NAME && !SHORTENED.matcher(jwtSecretName).matches()) {
      return Labels.KEY_SET_PREFIX + jwtSecretName;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(jwtSecretName.getBytes(StandardCharsets.UTF_8));
      return Labels.KEY_SET_PREFIX + jwtSecretName.substring(0, 31) + "-" + HexFormat.of().formatHex(hash).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
