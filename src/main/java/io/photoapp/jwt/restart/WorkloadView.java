package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.photoapp.jwt.api.TargetKind;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The parts of a Deployment, StatefulSet, DaemonSet or Argo Rollout that a rollout decision reads. */
public record WorkloadView(
    TargetKind kind,
    String name,
    Map<String, String> labels,
    Map<String, String> templateAnnotations,
    PodTemplateSpec template,
    long generation,
    long observedGeneration,
    Optional<String> unsupportedStrategy,
    Optional<String> notRolledOut) {

  public String annotation(String name) {
    return templateAnnotations.get(name);
  }

  public boolean rolledOut() {
    return observedGeneration >= generation && notRolledOut.isEmpty();
  }

  public static WorkloadView of(HasMetadata workload) {
    if (workload instanceof Deployment d) {
      return deployment(d);
    }
    if (workload instanceof StatefulSet s) {
      return statefulSet(s);
    }
    if (workload instanceof DaemonSet ds) {
      return daemonSet(ds);
    }
    if (workload instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource r && ArgoRollouts.KIND.equals(r.getKind())) {
      return ArgoRollouts.view(r);
    }
    throw new IllegalArgumentException("not a workload: " + workload.getKind());
  }

  /** As {@code kubectl rollout status deployment} judges it. */
  static WorkloadView deployment(Deployment d) {
    var spec = d.getSpec();
    var st = d.getStatus();
    int desired = spec.getReplicas() == null ? 1 : spec.getReplicas();
    int updated = st == null ? 0 : n(st.getUpdatedReplicas());
    int replicas = st == null ? 0 : n(st.getReplicas());
    int available = st == null ? 0 : n(st.getAvailableReplicas());
    String waiting = null;
    if (st != null && st.getConditions() != null && st.getConditions().stream()
        .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))) {
      waiting = "progress deadline exceeded";
    } else if (updated < desired) {
      waiting = updated + " of " + desired + " replicas updated";
    } else if (replicas > updated) {
      waiting = (replicas - updated) + " old replicas pending termination";
    } else if (available < updated) {
      waiting = available + " of " + updated + " updated replicas available";
    }
    Optional<String> unsupported = Boolean.TRUE.equals(spec.getPaused())
        ? Optional.of("Deployment " + d.getMetadata().getName() + " is paused") : Optional.empty();
    return view(TargetKind.Deployment, d, spec.getTemplate(), st == null ? null : st.getObservedGeneration(), unsupported, waiting);
  }

  /** As {@code kubectl rollout status statefulset} judges it. */
  static WorkloadView statefulSet(StatefulSet s) {
    var spec = s.getSpec();
    var st = s.getStatus();
    int desired = spec.getReplicas() == null ? 1 : spec.getReplicas();
    var strategy = spec.getUpdateStrategy();
    Optional<String> unsupported = Optional.empty();
    if (strategy != null && "OnDelete".equals(strategy.getType())) {
      unsupported = Optional.of("StatefulSet " + s.getMetadata().getName() + " uses the OnDelete update strategy");
    } else if (strategy != null && strategy.getRollingUpdate() != null
        && n(strategy.getRollingUpdate().getPartition()) > 0) {
      unsupported = Optional.of("StatefulSet " + s.getMetadata().getName() + " has a rolling update partition");
    }
    String waiting = null;
    int ready = st == null ? 0 : n(st.getReadyReplicas());
    int updated = st == null ? 0 : n(st.getUpdatedReplicas());
    if (ready < desired) {
      waiting = ready + " of " + desired + " replicas ready";
    } else if (updated < desired) {
      waiting = updated + " of " + desired + " replicas updated";
    } else if (st != null && st.getUpdateRevision() != null && !Objects.equals(st.getUpdateRevision(), st.getCurrentRevision())) {
      waiting = "update revision not yet current";
    }
    return view(TargetKind.StatefulSet, s, spec.getTemplate(), st == null ? null : st.getObservedGeneration(), unsupported, waiting);
  }

  /** As {@code kubectl rollout status daemonset} judges it. */
  static WorkloadView daemonSet(DaemonSet ds) {
    var spec = ds.getSpec();
    var st = ds.getStatus();
    Optional<String> unsupported = spec.getUpdateStrategy() != null && "OnDelete".equals(spec.getUpdateStrategy().getType())
        ? Optional.of("DaemonSet " + ds.getMetadata().getName() + " uses the OnDelete update strategy") : Optional.empty();
    int desired = st == null ? 0 : n(st.getDesiredNumberScheduled());
    int updated = st == null ? 0 : n(st.getUpdatedNumberScheduled());
    int available = st == null ? 0 : n(st.getNumberAvailable());
    String waiting = null;
    if (updated < desired) {
      waiting = updated + " of " + desired + " pods updated";
    } else if (available < desired) {
      waiting = available + " of " + desired + " updated pods available";
    }
    return view(TargetKind.DaemonSet, ds, spec.getTemplate(), st == null ? null : st.getObservedGeneration(), unsupported, waiting);
  }

  private static WorkloadView view(TargetKind kind, HasMetadata w, PodTemplateSpec template, Long observed,
      Optional<String> unsupported, String waiting) {
    Map<String, String> annotations = template == null || template.getMetadata() == null
        || template.getMetadata().getAnnotations() == null ? Map.of() : template.getMetadata().getAnnotations();
    Map<String, String> labels = w.getMetadata().getLabels() == null ? Map.of() : w.getMetadata().getLabels();
    long generation = w.getMetadata().getGeneration() == null ? 0 : w.getMetadata().getGeneration();
    long observedGeneration = observed == null ? 0 : observed;
    if (observedGeneration < generation && waiting == null) {
      waiting = "the controller has not yet observed generation " + generation;
    }
    return new WorkloadView(kind, w.getMetadata().getName(), labels, annotations, template, generation,
        observedGeneration, unsupported, Optional.ofNullable(waiting));
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
