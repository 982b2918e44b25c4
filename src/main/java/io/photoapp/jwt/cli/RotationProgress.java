package io.photoapp.jwt.cli;

import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.secret.SecretCodec;
import java.time.Instant;
import java.util.Optional;

/**
 * How far a requested rotation has come, read from the JwtSecret's status alone.
 *
 * <p>A planned rotation is complete once the current key was created at or after the requested time
 * and every target has rolled out to it: phase Retiring (the operator enters it only when the switch
 * rollout has completed), or Idle with RolloutComplete=True. The previous key's grace period, which
 * follows, is not waited for: by then every pod signs with the new key. An emergency rotation is
 * complete once the current key was created at or after the requested time and RolloutComplete=True:
 * from then on every token signed before the request fails to verify.
 */
final class RotationProgress {
  private RotationProgress() {}

  static boolean complete(JwtSecretStatus status, RotationRequest request) {
    if (status == null) {
      return false;
    }
    Optional<Instant> created = SecretCodec.parseTime(status.keyCreatedAt);
    if (created.isEmpty() || created.get().isBefore(request.requestedAt())) {
      return false;
    }
    boolean rolledOut = Conditions.isTrue(status.conditions, Conditions.ROLLOUT_COMPLETE);
    if (request.emergency()) {
      return rolledOut;
    }
    return status.phase == Phase.Retiring || (status.phase == Phase.Idle && rolledOut);
  }

  /** One progress line: the stage, the key ids and the rollout; never a key value. */
  static String describe(JwtSecretStatus status) {
    if (status == null) {
      return "no status yet (is the operator running?)";
    }
    StringBuilder line = new StringBuilder()
        .append("phase=").append(OnCallCommand.orDash(status.phase))
        .append(" key=").append(OnCallCommand.orDash(status.keyId))
        .append(" next=").append(OnCallCommand.orDash(status.nextKeyId))
        .append(" previous=").append(OnCallCommand.orDash(status.previousKeyId));
    line.append(' ').append(condition(status, Conditions.ROLLOUT_COMPLETE));
    Conditions.find(status.conditions, Conditions.READY)
        .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
        .ifPresent(c -> line.append(' ').append(condition(status, Conditions.READY)));
    return line.toString();
  }

  /** The Ready condition's message (key ids and what the operator waits for), or "-". */
  static String readyMessage(JwtSecretStatus status) {
    return status == null ? "-" : Conditions.find(status.conditions, Conditions.READY)
        .map(c -> OnCallCommand.orDash(c.getMessage())).orElse("-");
  }

  private static String condition(JwtSecretStatus status, String type) {
    return Conditions.find(status.conditions, type)
        .map(c -> type + "=" + c.getStatus() + "(" + c.getReason() + ")")
        .orElse(type + "=Unknown");
  }
}
