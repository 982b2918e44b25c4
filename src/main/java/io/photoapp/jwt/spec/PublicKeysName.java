package io.photoapp.jwt.spec;

/** The name of the public keys' ConfigMap, {@code <secret name>-jwks}: part of what a spec names, checked when it is resolved. */
public final class PublicKeysName {
  public static final String SUFFIX = "-jwks";
  /** Kubernetes object names are at most 253 characters. */
  public static final int MAX_SECRET_NAME = 253 - SUFFIX.length();

  private PublicKeysName() {}

  public static String of(String secretName) {
    return secretName + SUFFIX;
  }
}
