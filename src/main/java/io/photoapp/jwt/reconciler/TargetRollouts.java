package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.api.WorkloadStatus;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.ops.EventRecorder;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.restart.KeySetAnnotation;
import io.photoapp.jwt.restart.PublishAwareness;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.restart.RolloutPlanner;
import io.photoapp.jwt.restart.RolloutSlots;
import io.photoapp.jwt.restart.WorkloadPatcher;
import io.photoapp.jwt.restart.WorkloadView;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JwtSecret's restart targets against the workload informers: where they stand (through the pure
 * {@link RolloutPlanner}), and the pod-template patches that roll them.
 */
final class TargetRollouts {
  private static final Logger LOG = LoggerFactory.getLogger(TargetRollouts.class);
  static final String ANY_NAME = "*";

  private final KubernetesClient client;
  private final WorkloadPatcher patcher;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final Map<TargetKind, SecondarySource<? extends HasMetadata>> workloads;
  private final Clock clock;
  /** How soon a JwtSecret with a queued patch looks again for a free slot. */
  static final Duration QUEUE_RECHECK = Duration.ofSeconds(5);
  private volatile RolloutSlots slots = new RolloutSlots(RolloutSlots.DEFAULT_MAX);

  TargetRollouts(KubernetesClient client, WorkloadPatcher patcher, OperatorMetrics metrics, EventRecorder events,
      Caches caches, Clock clock) {
    this.client = client;
    this.patcher = patcher;
    this.metrics = metrics;
    this.events = events;
    this.workloads = caches.workloads;
    this.clock = clock;
    metrics.rolloutSlots(() -> slots.rolling(clock.instant()), () -> slots.queued(clock.instant()));
  }

  /** At most {@code max} workloads rolling at once across the cluster ({@code --max-concurrent-rollouts}). */
  void limit(int max) {
    slots = new RolloutSlots(max);
  }

  /**
   * A workload event: a workload seen rolled out at the generation of the operator's patch gives its
   * slot back at once, whether or not its JwtSecret's reconciles succeed.
   */
  void observe(HasMetadata workload) {
    try {
      WorkloadView w = WorkloadView.of(workload);
      slots.observe(slotKey(workload.getMetadata().getNamespace(), w), w.observedGeneration(), w.rolledOut());
    } catch (RuntimeException e) {
      LOG.debug("cannot read the rollout of {}: {}", workload.getMetadata().getName(), e.toString());
    }
  }

  /** Forgets the queued patches of a deleted JwtSecret. */
  void forget(String owner) {
    slots.forgetOwner(owner);
  }

  private static String slotKey(String ns, WorkloadView w) {
    return ns + "/" + w.kind() + "/" + w.name();
  }

  /**
   * The opted-in workloads a JwtSecret's targets name or select, and its named targets that exist without the label.
   *
   * @param rolloutsReadable whether Argo Rollouts can be read (their CRD is installed and the operator may list them)
   */
  record TargetViews(List<WorkloadView> optedIn, Set<String> notOptedIn, boolean rolloutsReadable) {
    static final TargetViews NONE = new TargetViews(List.of(), Set.of(), true);

    TargetViews(List<WorkloadView> optedIn, Set<String> notOptedIn) {
      this(optedIn, notOptedIn, true);
    }
  }

  /** Reads the targets' views from the workload caches; a named target not in them is looked up once. */
  TargetViews views(JwtSecret resource, EffectiveSpec spec) {
    String ns = resource.getMetadata().getNamespace();
    // Views of this JwtSecret's targets only: viewing every opted-in workload of the namespace made
    // each reconcile O(workloads), a tenth of the operator's CPU at 1,000 JwtSecrets (bench/RESULTS.md).
    List<WorkloadView> optedIn = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RestartTarget t : rawTargets(resource)) {
      if (t == null || t.kind == null) {
        continue;
      }
      SecondarySource<? extends HasMetadata> source = workloads.get(t.kind);
      if (source == null) {
        // Argo Rollouts cannot be read: the target shows as not found, and the message says why.
        continue;
      }
      // A named target by its key; only a selector needs a look at the namespace's opted-in workloads.
      java.util.stream.Stream<? extends HasMetadata> hits = t.name != null
          ? source.get(new ResourceID(t.name, ns)).stream()
          : source.list(ns, w -> targets(resource, t.kind, w));
      hits.filter(w -> seen.add(t.kind + "/" + w.getMetadata().getName())).forEach(w -> optedIn.add(WorkloadView.of(w)));
    }
    Set<String> notOptedIn = new HashSet<>();
    for (RestartTarget t : spec.targets()) {
      if (t.name != null && optedIn.stream().noneMatch(w -> w.kind() == t.kind && w.name().equals(t.name))) {
        if (exists(ns, t)) {
          notOptedIn.add(t.kind + "/" + t.name);
        }
      }
    }
    return new TargetViews(List.copyOf(optedIn), Set.copyOf(notOptedIn), workloads.containsKey(TargetKind.Rollout));
  }

  /** A workload seen rolled out at the generation of the operator's patch gives its slot back. */
  void settle(String ns, TargetViews views) {
    views.optedIn().forEach(w -> slots.observe(slotKey(ns, w), w.observedGeneration(), w.rolledOut()));
  }

  /** Where the targets stand against a key state: pure. */
  static RolloutAssessment assess(TargetViews views, JwtSecret resource, EffectiveSpec spec, KeyState state,
      Map<String, Long> generations) {
    boolean firstKey = state.rotationCount() == 0 && state.phase() == io.photoapp.jwt.api.Phase.Idle;
    RolloutAssessment assessment = RolloutPlanner.assess(spec.targets(), views.optedIn(), views.notOptedIn(),
        KeySetAnnotation.nameFor(resource.getMetadata().getName()), state.keySet(), generations, !firstKey,
        w -> PublishAwareness.readsNextKey(w.template(), spec.secretName(), spec.nextDataKey(),
            JwksConfigMap.needed(state) ? JwksConfigMap.nameFor(spec.secretName()) : null));
    if (views.rolloutsReadable() || spec.targets().stream().noneMatch(t -> t.kind == TargetKind.Rollout)) {
      return assessment;
    }
    List<String> missing = assessment.missing().stream()
        .map(m -> m.startsWith(TargetKind.Rollout + " ") ? m + " (" + io.photoapp.jwt.restart.ArgoRollouts.UNAVAILABLE + ")" : m)
        .toList();
    return new RolloutAssessment(assessment.workloads(), assessment.toPatch(), assessment.complete(), assessment.unsupported(),
        missing, assessment.notOptedIn(), assessment.waiting(), assessment.progress(), assessment.cannotBenefit());
  }

  private boolean exists(String ns, RestartTarget t) {
    try {
      return switch (t.kind) {
        case Deployment -> client.apps().deployments().inNamespace(ns).withName(t.name).get() != null;
        case StatefulSet -> client.apps().statefulSets().inNamespace(ns).withName(t.name).get() != null;
        case DaemonSet -> client.apps().daemonSets().inNamespace(ns).withName(t.name).get() != null;
        case Rollout -> workloads.containsKey(TargetKind.Rollout)
            && client.genericKubernetesResources(io.photoapp.jwt.restart.ArgoRollouts.CONTEXT).inNamespace(ns).withName(t.name).get() != null;
      };
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  RolloutAssessment roll(JwtSecret resource, EffectiveSpec spec, KeyState state, RolloutAssessment rollout,
      Map<String, Long> generations) {
    String ns = resource.getMetadata().getNamespace();
    String annotation = KeySetAnnotation.nameFor(resource.getMetadata().getName());
    List<String> rolled = new ArrayList<>();
    List<String> queued = new ArrayList<>();
    String owner = ns + "/" + resource.getMetadata().getName();
    Instant now = clock.instant();
    for (WorkloadView w : rollout.toPatch()) {
      String slot = slotKey(ns, w);
      RolloutSlots.Grant grant = slots.acquire(request(slot, owner, state), now, spec.rolloutTimeout());
      if (!grant.granted()) {
        queued.add(w.kind() + " " + w.name() + " (place " + grant.position() + " in the queue)");
        continue;
      }
      try {
        long generation = patcher.setAnnotation(ns, w, annotation, state.keySet());
        slots.patched(slot, generation);
        generations.put(w.kind() + "/" + w.name(), generation);
        metrics.workloadRestarted(ns, w.kind().name(), w.name());
        rolled.add(w.kind() + " " + w.name());
      } catch (RuntimeException e) {
        // Not patched, or not known to be: the slot goes back.
        slots.release(slot);
        if (!(e instanceof KubernetesClientException kce) || kce.getCode() != 404) {
          throw e;
        }
        LOG.info("target {} {} in {} was deleted; dropped from the rotation", w.kind(), w.name(), ns);
      }
    }
    if (!rolled.isEmpty()) {
      events.normal(resource, EventReasons.ROLLOUT_STARTED, "Rolling " + String.join(", ", rolled)
          + " to key set " + state.keySet() + " (" + state.phase() + ")");
    }
    // The workloads changed under us: judge them again from the patched generations.
    List<WorkloadStatus> statuses = rollout.workloads().stream().map(ws -> {
      String key = ws.kind + "/" + ws.name;
      if (rolled.contains(ws.kind + " " + ws.name)) {
        return new WorkloadStatus(ws.kind, ws.name, state.keySet(), generations.get(key), false, RolloutPlanner.ROLLING_OUT);
      }
      return ws;
    }).toList();
    boolean complete = rollout.complete() && rolled.isEmpty() && queued.isEmpty();
    if (!queued.isEmpty()) {
      LOG.debug("{}: {} queued behind {} workloads rolling", owner, queued, slots.rolling(now));
    }
    return new RolloutAssessment(statuses, List.of(), complete && statuses.stream().allMatch(s -> Boolean.TRUE.equals(s.ready)),
        rollout.unsupported(), rollout.missing(), rollout.notOptedIn(), rollout.waiting(), rollout.progress(),
        rollout.cannotBenefit(), queued);
  }

  /** A slot's request: emergencies first, then by when the stage became due (its Secret write). */
  private static RolloutSlots.Request request(String slot, String owner, KeyState state) {
    boolean emergency = state.phase() == io.photoapp.jwt.api.Phase.Idle
        && (io.photoapp.jwt.rotation.Reasons.EMERGENCY.equals(state.reason())
            || io.photoapp.jwt.rotation.Reasons.POLICY_VIOLATION.equals(state.reason()));
    Instant due = state.next().map(io.photoapp.jwt.rotation.StoredKey::createdAt).orElse(state.rotatedAt());
    return new RolloutSlots.Request(slot, owner, emergency, due);
  }

  static Map<String, Long> recordedGenerations(JwtSecretStatus status) {
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

  /**
   * The spec's restart targets as written; none when there are more than the schema allows (a
   * cluster without the schema: the spec is invalid, and a list of thousands must not cost work
   * at every workload event).
   */
  private static List<RestartTarget> rawTargets(JwtSecret js) {
    if (js.getSpec() == null || js.getSpec().restart == null || js.getSpec().restart.targets == null
        || js.getSpec().restart.targets.size() > io.photoapp.jwt.api.Limits.TARGETS) {
      return List.of();
    }
    return js.getSpec().restart.targets;
  }

  /**
   * Index keys of a JwtSecret's restart targets: "namespace/Kind/name" for a named target,
   * "namespace/Kind/*" for a selector, which the workload's labels then decide.
   */
  static List<String> targetKeys(JwtSecret js) {
    String ns = js.getMetadata().getNamespace();
    return rawTargets(js).stream().filter(t -> t != null && t.kind != null)
        .map(t -> ns + "/" + t.kind + "/" + (t.name != null ? t.name : ANY_NAME)).distinct().toList();
  }

  static boolean targets(JwtSecret js, TargetKind kind, HasMetadata w) {
    Map<String, String> labels = w.getMetadata().getLabels() == null ? Map.of() : w.getMetadata().getLabels();
    return rawTargets(js).stream().filter(Objects::nonNull).anyMatch(t -> t.kind == kind
        && (t.name != null ? t.name.equals(w.getMetadata().getName()) : RolloutPlanner.matches(t.selector, labels)));
  }
}
