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

  /** {@code jwt.photoapp.io/key-set.<name>}; names over 40 characters are shortened with a hash. */
  public static String nameFor(String jwtSecretName) {
    if (jwtSecretName.length() <= LONGEST_NAME) {
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
