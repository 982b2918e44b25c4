package io.photoapp.jwt.api;

/** Every label and annotation name the operator reads or writes: its public contract. */
public final class Labels {
  public static final String PREFIX = JwtSecret.GROUP + "/";

  /** On Secrets the operator manages; its Secret informer selects on it. */
  public static final String MANAGED = PREFIX + "managed";
  /** On workloads that may be rolled; the workload informers select on it. */
  public static final String RESTARTABLE = PREFIX + "restartable";
  /** On a namespace: the least strict profile its JwtSecrets follow. */
  public static final String MINIMUM_ENVIRONMENT = PREFIX + "minimum-environment";
  /** On a namespace: {@code "true"} makes {@code approval: Manual} the floor for its JwtSecrets. */
  public static final String REQUIRE_APPROVAL = PREFIX + "require-approval";

  // Requests on the JwtSecret (times, not tokens).
  public static final String ROTATE_AFTER = PREFIX + "rotate-after";
  public static final String INVALIDATE_BEFORE = PREFIX + "invalidate-before";
  /** On the JwtSecret: the next key id whose switch a person approved ({@code approval: Manual}). */
  public static final String APPROVE_SWITCH = PREFIX + "approve-switch";

  // Ownership and state on the Secret.
  public static final String OWNER = PREFIX + "owner";
  public static final String OWNER_UID = PREFIX + "owner-uid";
  public static final String PHASE = PREFIX + "phase";
  public static final String KEY_ID = PREFIX + "key-id";
  public static final String KEY_CREATED_AT = PREFIX + "key-created-at";
  public static final String KEY_ALGORITHM = PREFIX + "key-algorithm";
  public static final String NEXT_KEY_ID = PREFIX + "next-key-id";
  public static final String NEXT_KEY_CREATED_AT = PREFIX + "next-key-created-at";
  public static final String NEXT_KEY_ALGORITHM = PREFIX + "next-key-algorithm";
  public static final String PREVIOUS_KEY_ID = PREFIX + "previous-key-id";
  public static final String PREVIOUS_KEY_CREATED_AT = PREFIX + "previous-key-created-at";
  public static final String PREVIOUS_KEY_ALGORITHM = PREFIX + "previous-key-algorithm";
  public static final String PREVIOUS_KEY_EXPIRES_AT = PREFIX + "previous-key-expires-at";
  public static final String ROTATED_AT = PREFIX + "rotated-at";
  public static final String ROTATION_REASON = PREFIX + "rotation-reason";
  public static final String ROTATION_COUNT = PREFIX + "rotation-count";
  /**
   * On a Secret (or ConfigMap) the operator adopted rather than created: it never gets an
   * ownerReference, so deleting the JwtSecret releases it and never deletes it. Durable, so that the
   * object alone tells a restarted operator.
   */
  public static final String ADOPTED = PREFIX + "adopted";
  /** The data keys in use, fixed once the Secret exists: current, previous, next. */
  public static final String DATA_KEYS = PREFIX + "data-keys";
  /** When new keys were made for the Secret within the key request throttle's window, RFC 3339, comma-separated. */
  public static final String RECENT_KEYS = PREFIX + "recent-keys";

  /** Pod-template annotation prefix; one annotation per JwtSecret. */
  public static final String KEY_SET_PREFIX = PREFIX + "key-set.";

  public static final String TRUE = "true";

  private Labels() {}
}
