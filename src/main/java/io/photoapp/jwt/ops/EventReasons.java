package io.photoapp.jwt.ops;

/** Reasons of the Kubernetes Events the operator records on a JwtSecret. */
public final class EventReasons {
  public static final String CREATED = "Created";
  public static final String ADOPTED = "Adopted";
  public static final String ROTATED = "Rotated";
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
  public static final String EMERGENCY_ROTATION = "EmergencyRotation";
  public static final String ROLLOUT_STARTED = "RolloutStarted";
  public static final String ROLLOUT_COMPLETE = "RolloutComplete";
  public static final String ROLLOUT_TIMEOUT = "RolloutTimeout";
  public static final String PUSHED = "Pushed";
  public static final String PUSH_FAILED = "PushFailed";
  public static final String POLICY_VIOLATION = "PolicyViolation";
  public static final String EXTERNAL_CHANGE = "ExternalChange";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String KEY_REQUEST_THROTTLED = "KeyRequestThrottled";
  public static final String SECRET_CONFLICT = "SecretConflict";
  public static final String ADOPTION_REFUSED = "AdoptionRefused";
  public static final String RESTORED = "Restored";
  public static final String RESTORE_PENDING = "RestorePending";
  public static final String RESTORE_TIMED_OUT = "RestoreTimedOut";
  public static final String DRIFT_REPAIRED = "DriftRepaired";
  public static final String SECRET_SPEC_IMMUTABLE = "SecretSpecImmutable";
  public static final String TARGET_NOT_FOUND = "TargetNotFound";
  public static final String TARGET_NOT_OPTED_IN = "TargetNotOptedIn";
  public static final String UNSUPPORTED_UPDATE_STRATEGY = "UnsupportedUpdateStrategy";

  private EventReasons() {}
}
