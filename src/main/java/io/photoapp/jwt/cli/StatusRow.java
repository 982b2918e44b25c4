package io.photoapp.jwt.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.WorkloadStatus;
import io.photoapp.jwt.status.Conditions;
import java.util.List;

/** What {@code status} shows of one JwtSecret: key ids, stage, times and rollout, never a key value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StatusRow(
    String namespace,
    String name,
    String environment,
    String ready,
    String keyId,
    String phase,
    String keyCreatedAt,
    String nextKeyId,
    String previousKeyId,
    String previousKeyExpiresAt,
    String lastRotationTime,
    String lastRotationReason,
    String nextRotationTime,
    Integer rotationCount,
    String rolloutComplete,
    List<Target> targets,
    List<ConditionRow> conditions) {

  /** Rollout state of one restart target. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Target(String kind, String name, boolean ready, String keySet, String message) {}

  /** A condition without its bookkeeping fields. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ConditionRow(String type, String status, String reason, String message) {}

  static StatusRow of(JwtSecret js) {
    JwtSecretStatus st = js.getStatus() == null ? new JwtSecretStatus() : js.getStatus();
    List<Target> targets = st.workloads == null ? List.of() : st.workloads.stream().map(StatusRow::target).toList();
    List<ConditionRow> conditions = st.conditions == null ? List.of()
        : st.conditions.stream().map(c -> new ConditionRow(c.getType(), c.getStatus(), c.getReason(), c.getMessage())).toList();
    return new StatusRow(js.getMetadata().getNamespace(), js.getMetadata().getName(),
        js.getSpec() == null || js.getSpec().environment == null ? null : js.getSpec().environment.value(),
        conditionStatus(st, Conditions.READY), st.keyId, st.phase == null ? null : st.phase.name(), st.keyCreatedAt,
        st.nextKeyId, st.previousKeyId, st.previousKeyExpiresAt, st.lastRotationTime, st.lastRotationReason,
        st.nextRotationTime, st.rotationCount, conditionStatus(st, Conditions.ROLLOUT_COMPLETE), targets, conditions);
  }

  private static Target target(WorkloadStatus w) {
    return new Target(w.kind == null ? null : w.kind.name(), w.name, Boolean.TRUE.equals(w.ready), w.keySet, w.message);
  }

  private static String conditionStatus(JwtSecretStatus st, String type) {
    return Conditions.find(st.conditions, type).map(c -> c.getStatus()).orElse("Unknown");
  }

  /** The rollout column: the RolloutComplete reason, then each target and whether it has rolled out. */
  String rolloutSummary() {
    String reason = conditions.stream().filter(c -> Conditions.ROLLOUT_COMPLETE.equals(c.type()))
        .map(ConditionRow::reason).findFirst().orElse("-");
    if (targets.isEmpty()) {
      return reason;
    }
    return reason + " (" + String.join(", ", targets.stream()
        .map(t -> t.kind() + "/" + t.name() + ":" + (t.ready() ? "ready" : "waiting")).toList()) + ")";
  }
}
