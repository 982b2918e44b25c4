package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.restart.ArgoRollouts;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.restart.TargetViews;
import io.photoapp.jwt.restart.RestartTargets;
import io.photoapp.jwt.restart.WorkloadRoller;
import io.photoapp.jwt.restart.WorkloadView;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JwtSecret's restart targets against the workload informers: their views (and the other JwtSecrets
 * that roll each), read from the caches for the Observer; the patches that roll them, through the
 * {@link WorkloadRoller}, whose RolloutStarted event the Applier hands to the Reporter.
 */
final class TargetRollouts {
  private static final Logger LOG = LoggerFactory.getLogger(TargetRollouts.class);

  private final KubernetesClient client;
  private final WorkloadRoller roller;
  private final Caches caches;
  private final Map<TargetKind, SecondarySource<? extends HasMetadata>> workloads;

  TargetRollouts(KubernetesClient client, WorkloadRoller roller, Caches caches) {
    this.client = client;
    this.roller = roller;
    this.caches = caches;
    this.workloads = caches.workloads;
  }

  /** At most {@code max} workloads rolling at once across the cluster ({@code --max-concurrent-rollouts}). */
  void limit(int max) {
    roller.limit(max);
  }

  /**
   * A workload event: a workload seen rolled out at the generation of the operator's patch gives its
   * slot back at once, whether or not its JwtSecret's reconciles succeed.
   */
  void observe(HasMetadata workload) {
    try {
      roller.observe(workload.getMetadata().getNamespace(), WorkloadView.of(workload));
    } catch (RuntimeException e) {
      LOG.debug("cannot read the rollout of {}: {}", workload.getMetadata().getName(), e.toString());
    }
  }

  /** Reconciles a queued JwtSecret at once when a slot comes back for it ({@link SlotWakeups}). */
  void onSlotFreed(java.util.function.Consumer<String> wake) {
    roller.onSlotFreed(wake);
  }

  /** Forgets the queued and coalescing patches of a deleted JwtSecret. */
  void forget(String owner) {
    roller.forget(owner);
  }

  /** Reads the targets' views from the workload caches; a named target not in them is looked up once. */
  TargetViews views(JwtSecret resource, EffectiveSpec spec) {
    String ns = resource.getMetadata().getNamespace();
    // Views of this JwtSecret's targets only: viewing every opted-in workload of the namespace made
    // each reconcile O(workloads), a tenth of the operator's CPU at 1,000 JwtSecrets (bench/RESULTS.md).
    List<WorkloadView> optedIn = new ArrayList<>();
    Map<String, List<JwtSecret>> sharers = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (RestartTarget t : RestartTargets.raw(resource)) {
      if (t == null || t.kind == null) {
        continue;
      }
      SecondarySource<? extends HasMetadata> source = workloads.get(t.kind);
      if (source == null) {
        // Argo Rollouts cannot be read: the target shows as not found, and the message says why.
        continue;
      }
      // A named target by its key; only a selector needs a look at the namespace's opted-in workloads.
      Stream<? extends HasMetadata> hits = t.name != null
          ? source.get(new ResourceID(t.name, ns)).stream()
          : source.list(ns, w -> RestartTargets.targets(resource, t.kind, w));
      hits.filter(w -> seen.add(t.kind + "/" + w.getMetadata().getName())).forEach(w -> {
        optedIn.add(WorkloadView.of(w));
        List<JwtSecret> others = sharers(resource, t.kind, w);
        if (!others.isEmpty()) {
          sharers.put(t.kind + "/" + w.getMetadata().getName(), others);
        }
      });
    }
    Set<String> notOptedIn = new HashSet<>();
    for (RestartTarget t : spec.targets()) {
      if (t.name != null && optedIn.stream().noneMatch(w -> w.kind() == t.kind && w.name().equals(t.name))) {
        if (exists(ns, t)) {
          notOptedIn.add(t.kind + "/" + t.name);
        }
      }
    }
    boolean approvalRequired = caches.namespaceLabels != null && caches.namespaceLabels.requiresApproval(ns);
    return new TargetViews(List.copyOf(optedIn), Set.copyOf(notOptedIn), workloads.containsKey(TargetKind.Rollout),
        Map.copyOf(sharers), approvalRequired);
  }

  /** The other JwtSecrets that roll a workload, from the index of the JwtSecrets' cache by target. */
  private List<JwtSecret> sharers(JwtSecret resource, TargetKind kind, HasMetadata w) {
    var primaries = caches.primaries;
    if (primaries == null) {
      return List.of();
    }
    String prefix = w.getMetadata().getNamespace() + "/" + kind + "/";
    String uid = resource.getMetadata().getUid();
    return Stream.concat(primaries.byIndex(RestartTargets.INDEX, prefix + w.getMetadata().getName()).stream(),
            primaries.byIndex(RestartTargets.INDEX, prefix + RestartTargets.ANY_NAME).stream())
        .filter(js -> !java.util.Objects.equals(uid, js.getMetadata().getUid())
            && !resource.getMetadata().getName().equals(js.getMetadata().getName()))
        .filter(js -> RestartTargets.targets(js, kind, w))
        .distinct().toList();
  }

  /** A workload seen rolled out at the generation of the operator's patch gives its slot back. */
  void settle(String ns, TargetViews views) {
    views.optedIn().forEach(w -> roller.observe(ns, w));
  }

  private boolean exists(String ns, RestartTarget t) {
    try {
      return switch (t.kind) {
        case Deployment -> client.apps().deployments().inNamespace(ns).withName(t.name).get() != null;
        case StatefulSet -> client.apps().statefulSets().inNamespace(ns).withName(t.name).get() != null;
        case DaemonSet -> client.apps().daemonSets().inNamespace(ns).withName(t.name).get() != null;
        case Rollout -> workloads.containsKey(TargetKind.Rollout)
            && client.genericKubernetesResources(ArgoRollouts.CONTEXT).inNamespace(ns).withName(t.name).get() != null;
      };
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** What rolling did: the targets as they stand after the patches, and the RolloutStarted event to send. */
  record Rolled(RolloutAssessment rollout, Optional<io.photoapp.jwt.status.EventIntent> started) {}

  Rolled roll(JwtSecret resource, EffectiveSpec spec, KeyState state, TargetViews views, RolloutAssessment rollout,
      Map<String, Long> generations) {
    WorkloadRoller.Rolled rolled = roller.roll(resource, spec, state, views, rollout, generations);
    Optional<io.photoapp.jwt.status.EventIntent> started = rolled.started().isEmpty() ? Optional.empty()
        : Optional.of(io.photoapp.jwt.status.EventIntent.normal(EventReasons.ROLLOUT_STARTED, "Rolling " + String.join(", ", rolled.started())
            + " to key set " + state.keySet() + " (" + state.phase() + ")"));
    return new Rolled(rolled.rollout(), started);
  }
}
