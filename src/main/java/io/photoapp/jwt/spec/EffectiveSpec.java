package io.photoapp.jwt.spec;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Approval;
import io.photoapp.jwt.api.DeletionPolicy;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.RotationStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A JwtSecret's spec with every default filled in and every string parsed. {@code length} and
 * {@code encoding} shape HMAC keys only ({@code length} is 0 for asymmetric algorithms); {@code size}
 * is the modulus of RSA keys (0 for other algorithms).
 */
public record EffectiveSpec(
    Environment environment,
    String secretName,
    String dataKey,
    String previousDataKey,
    String nextDataKey,
    DeletionPolicy deletionPolicy,
    boolean adopt,
    Algorithm algorithm,
    int length,
    Encoding encoding,
    int size,
    int tokenLifetimeMinutes,
    Schedule schedule,
    RotationStrategy strategy,
    Duration gracePeriod,
    Duration propagationDelay,
    Duration rolloutTimeout,
    List<Instant> rotateAfter,
    List<Instant> invalidateBefore,
    boolean paused,
    List<RestartTarget> targets,
    SecretMetadata secretTemplate,
    Approval approval,
    String approvedSwitch,
    RotationWindows windows,
    Duration coalesce) {

  /**
   * The spec under a namespace that requires approval ({@code jwt.photoapp.io/require-approval: "true"}):
   * Manual is the floor.
   */
  public EffectiveSpec withApprovalFloor(boolean required) {
    if (!required || approval == Approval.Manual) {
      return this;
    }
    return new EffectiveSpec(environment, secretName, dataKey, previousDataKey, nextDataKey, deletionPolicy, adopt,
        algorithm, length, encoding, size, tokenLifetimeMinutes, schedule, strategy, gracePeriod, propagationDelay,
        rolloutTimeout, rotateAfter, invalidateBefore, paused, targets, secretTemplate, Approval.Manual, approvedSwitch,
        windows, coalesce);
  }

  /** Whether a planned rotation waits for a person before its switch. */
  public boolean manualApproval() {
    return approval == Approval.Manual;
  }

  public Duration tokenLifetime() {
    return Duration.ofMinutes(tokenLifetimeMinutes);
  }

  /** How long the previous key stays after the switch rollout: the larger of grace and token lifetime. */
  public Duration effectiveGrace() {
    return gracePeriod.compareTo(tokenLifetime()) >= 0 ? gracePeriod : tokenLifetime();
  }

  /** The data keys as recorded on the Secret, to detect a change of spec.secret. */
  public String dataKeys() {
    return dataKey + "," + previousDataKey + "," + nextDataKey;
  }
}
