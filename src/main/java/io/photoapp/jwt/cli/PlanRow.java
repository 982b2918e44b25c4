package io.photoapp.jwt.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.RotationInput;
import io.photoapp.jwt.rotation.RotationPlan;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code status --plan} shows of one JwtSecret: the operator's own planner run on its spec and
 * status (key ids and times, never a key), with the targets and store writes each stage would make.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PlanRow(
    String namespace,
    String name,
    String phase,
    String keyId,
    String nextKeyId,
    String approval,
    String now,
    String nextRotation,
    List<RotationPlan.Stage> stages,
    List<String> holds,
    List<String> targets,
    List<String> storeWrites) {

  static PlanRow of(JwtSecret js, boolean namespaceRequiresApproval, Instant now) {
    JwtSecretStatus st = js.getStatus() == null ? new JwtSecretStatus() : js.getStatus();
    SpecResolver.Result resolved = SpecResolver.resolve(js);
    String ns = js.getMetadata().getNamespace();
    String name = js.getMetadata().getName();
    if (resolved.spec() == null) {
      return new PlanRow(ns, name, phase(st), st.keyId, st.nextKeyId, null, "nothing: the spec is invalid ("
          + String.join("; ", resolved.problems()) + ")", "-", List.of(), List.of(), List.of(), List.of());
    }
    EffectiveSpec spec = resolved.spec().withApprovalFloor(namespaceRequiresApproval);
    Optional<KeyState> state = stateOf(st, spec.algorithm());
    boolean rolledOut = Conditions.isTrue(st.conditions, Conditions.ROLLOUT_COMPLETE);
    RotationPlan plan = RotationPlan.of(new RotationInput(spec, state, false, false, false, true, rolledOut, now,
        resolved.valid()));
    return new PlanRow(ns, name, phase(st), st.keyId, st.nextKeyId, spec.approval().name(), plan.decision(),
        plan.nextRotation(), plan.stages(), plan.holds(), targets(js, st), storeWrites(js));
  }

  /** The key facts status records, as the planner reads them: ids and times only. */
  static Optional<KeyState> stateOf(JwtSecretStatus st, Algorithm algorithm) {
    return io.photoapp.jwt.rotation.StatusKeys.stateOf(st, algorithm);
  }

  /** The targets each stage rolls, as the operator last resolved them, and those it could not. */
  private static List<String> targets(JwtSecret js, JwtSecretStatus st) {
    List<String> out = new ArrayList<>();
    if (st.workloads != null) {
      st.workloads.forEach(w -> out.add(w.kind + "/" + w.name + (Boolean.TRUE.equals(w.ready) ? "" : " (rolling)")));
    }
    Conditions.find(st.conditions, Conditions.ROLLOUT_COMPLETE)
        .filter(c -> List.of(Conditions.TARGET_NOT_FOUND, Conditions.TARGET_NOT_OPTED_IN, Conditions.UNSUPPORTED_UPDATE_STRATEGY,
            Conditions.ROLLOUT_QUEUED).contains(c.getReason()))
        .ifPresent(c -> out.add(c.getReason() + ": " + c.getMessage()));
    if (out.isEmpty() && js.getSpec() != null && js.getSpec().restart != null && js.getSpec().restart.targets != null) {
      js.getSpec().restart.targets.forEach(t -> out.add(t.kind + (t.name != null ? "/" + t.name : " selector") + " (not resolved yet)"));
    }
    return out;
  }

  private static List<String> storeWrites(JwtSecret js) {
    if (js.getSpec() == null || js.getSpec().push == null) {
      return List.of();
    }
    return js.getSpec().push.stream().filter(p -> p != null && p.storeRef != null)
        .map(p -> p.storeRef.kind + "/" + p.storeRef.name + " " + p.path).toList();
  }

  private static String phase(JwtSecretStatus st) {
    return st.phase == null ? null : st.phase.name();
  }
}
