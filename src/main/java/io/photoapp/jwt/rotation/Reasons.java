package io.photoapp.jwt.rotation;

/** Rotation reasons, as status.lastRotationReason and the metrics' reason label show them. */
public final class Reasons {
  public static final String CREATED = "Created";
  public static final String ADOPTED = "Adopted";
  public static final String SCHEDULED = "Scheduled";
  public static final String MANUAL = "Manual";
  public static final String EMERGENCY = "Emergency";
  public static final String SECRET_DELETED = "SecretDeleted";
  public static final String POLICY_VIOLATION = "PolicyViolation";

  private Reasons() {}
}
