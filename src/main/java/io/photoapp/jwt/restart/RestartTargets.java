package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Limits;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.api.WorkloadStatus;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A JwtSecret's restart targets: how workload events find it, and where its targets stand. Pure. */
public final class RestartTargets {
  /** The index key of a selector target: the workload's labels decide. */
  public static final String ANY_NAME = "*";
  /** Index of the JwtSecrets' cache by restart target; see {@link #keys}. */
  public static final String INDEX = "restart-targets";

  private RestartTargets() {}

  /**
   * The spec's restart targets as written; none when there are more than the schema allows (a
   * cluster without the schema: the spec is invalid, and a list of thousands must not cost work
   * at every workload event).
   */
  public static List<RestartTarget> raw(JwtSecret js) {
    if (js.getSpec() == null || js.getSpec().restart == null || js.getSpec().restart.targets == null
        || js.getSpec().restart.targets.size() > Limits.TARGETS) {
      return List.of();
    }
    return js.getSpec().restart.targets;
  }

  /**
   * Index keys of a JwtSecret's restart targets: "namespace/Kind/name" for a named target,
   * "namespace/Kind/*" for a selector, which the workload's labels then decide.
   */
  public static List<String> keys(JwtSecret js) {
    String ns = js.getMetadata().getNamespace();
    return raw(js).stream().filter(t -> t != null && t.kind != null)
        .map(t -> ns + "/" + t.kind + "/" + (t.name != null ? t.name : ANY_NAME)).distinct().toList();
  }

  /** Whether a JwtSecret's targets name or select a workload of this kind. */
  public static boolean targets(JwtSecret js, TargetKind kind, HasMetadata w) {
    Map<String, String> labels = w.getMetadata().getLabels() == null ? Map.of() : w.getMetadata().getLabels();
    return raw(js).stream().filter(Objects::nonNull).anyMatch(t -> t.kind == kind
        && (t.name != null ? t.name.equals(w.getMetadata().getName()) : RolloutPlanner.matches(t.selector, labels)));
  }

  /** The generations earlier patches gave the targets, as status records them, by "Kind/name". */
  public static Map<String, Long> recordedGenerations(JwtSecretStatus status) {
    Map<String, Long> generations = new HashMap<>();
    if (status.workloads != null) {
      for (WorkloadStatus w : status.workloads) {
        if (w.generation != null) {
          generations.put(w.kind + "/" + w.name, w.generation);
        }
      }
    }
    return generations;
  }

  /** Where the targets stand against a key state. */
  public static RolloutAssessment assess(TargetViews views, JwtSecret resource, EffectiveSpec spec, KeyState state,
      Map<String, Long> generations) {
    boolean firstKey = state.rotationCount() == 0 && state.phase() == Phase.Idle;
    RolloutAssessment assessment = RolloutPlanner.assess(spec.targets(), views.optedIn(), views.notOptedIn(),
        KeySetAnnotation.nameFor(resource.getMetadata().getName()), state.keySet(), generations, !firstKey,
        w -> PublishAwareness.readsNextKey(w.template(), spec.secretName(), spec.nextDataKey(),
            JwksConfigMap.needed(state) ? JwksConfigMap.nameFor(spec.secretName()) : null));
    if (views.rolloutsReadable() || spec.targets().stream().noneMatch(t -> t.kind == TargetKind.Rollout)) {
      return assessment;
    }
    List<String> missing = assessment.missing().stream()
        .map(m -> m.startsWith(TargetKind.Rollout + " ") ? m + " (" + ArgoRollouts.UNAVAILABLE + ")" : m)
        .toList();
    return new RolloutAssessment(assessment.workloads(), assessment.toPatch(), assessment.complete(), assessment.unsupported(),
        missing, assessment.notOptedIn(), assessment.waiting(), assessment.progress(), assessment.cannotBenefit());
  }
}
