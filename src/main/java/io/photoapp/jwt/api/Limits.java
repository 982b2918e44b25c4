package io.photoapp.jwt.api;

/**
 * Sizes a JwtSecret's spec may not exceed: the CRD schema holds them (maxLength, maxItems,
 * maxProperties) and the operator checks them again for clusters whose CRD has no schema. They bound
 * what one tenant's JwtSecret can make the operator hold, parse and match.
 */
public final class Limits {
  /** Names of Secrets and workloads, and Secret data keys (a DNS subdomain). */
  public static final int NAME = 253;
  /** Schedules, durations, time zones and RFC 3339 times. */
  public static final int TEXT = 64;
  /** Entries of one JwtSecret's spec.push: each is a store call and a status entry. */
  public static final int PUSH = 8;
  /** Restart targets of one JwtSecret. */
  public static final int TARGETS = 32;
  /** Entries of a selector's matchLabels, and its matchExpressions. */
  public static final int SELECTOR_TERMS = 16;
  /** Values of one selector expression. */
  public static final int SELECTOR_VALUES = 64;
  /** A label key: an optional DNS-subdomain prefix, '/', and a name of 63. */
  public static final int LABEL_KEY = 317;
  /** Rotation windows of one JwtSecret. */
  public static final int WINDOWS = 16;
  /** A label value. */
  public static final int LABEL_VALUE = 63;

  private Limits() {}
}
