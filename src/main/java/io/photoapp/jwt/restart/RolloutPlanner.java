package io.photoapp.jwt.restart;

import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.SelectorRequirement;
import io.photoapp.jwt.api.TargetSelector;
import io.photoapp.jwt.api.WorkloadStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Matches targets to opted-in workloads and judges their rollout: pure, no API calls. */
public final class RolloutPlanner {
  /** The message of a target whose pods are rolling: the same until they are done. */
  public static final String ROLLING_OUT = "rolling out";

  private RolloutPlanner() {}

  /**
   * @param optedIn the namespace's workloads carrying the opt-in label
   * @param existingNotOptedIn "Kind/name" of named targets that exist without the label
   * @param generations generations recorded by earlier patches, by "Kind/name"
   */
  public static RolloutAssessment assess(List<RestartTarget> targets, Collection<WorkloadView> optedIn,
      Set<String> existingNotOptedIn, String annotationName, String keySet, Map<String, Long> generations) {
    return assess(targets, optedIn, existingNotOptedIn, annotationName, keySet, generations, true, w -> true);
  }

  /** The opted-in workloads the targets name or select, whether a rotation waits for each, and the targets that find none. */
  private record Matches(Map<String, Boolean> waitFor, Map<String, WorkloadView> matched, List<String> missing,
      List<String> notOptedIn) {}

  private static Matches match(List<RestartTarget> targets, Collection<WorkloadView> optedIn, Set<String> existingNotOptedIn) {
    Map<String, Boolean> waitFor = new LinkedHashMap<>();
    Map<String, WorkloadView> matched = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> notOptedIn = new ArrayList<>();
    for (RestartTarget target : targets) {
      boolean wait = !Boolean.FALSE.equals(target.waitForRollout);
      List<WorkloadView> hits = optedIn.stream()
          .filter(w -> w.kind() == target.kind)
          .filter(w -> target.name != null ? target.name.equals(w.name()) : matches(target.selector, w.labels()))
          .toList();
      if (hits.isEmpty()) {
        String id = target.kind + (target.name != null ? " " + target.name : " selector " + describe(target.selector));
        if (target.name != null && existingNotOptedIn.contains(target.kind + "/" + target.name)) {
          notOptedIn.add(id);
        } else {
          missing.add(id);
        }
      }
      for (WorkloadView w : hits) {
        String key = w.kind() + "/" + w.name();
        matched.put(key, w);
        waitFor.merge(key, wait, Boolean::logicalOr);
      }
    }
    return new Matches(waitFor, matched, missing, notOptedIn);
  }

  /**
   * @param rollUnmarked whether a workload that never carried the annotation must be rolled; false
   *     only while the first key is current (creating or adopting a key restarts nothing: pods read
   *     the Secret when they start)
   */
  public static RolloutAssessment assess(List<RestartTarget> targets, Collection<WorkloadView> optedIn,
      Set<String> existingNotOptedIn, String annotationName, String keySet, Map<String, Long> generations,
      boolean rollUnmarked, java.util.function.Predicate<WorkloadView> readsNextKey) {
    Matches matches = match(targets, optedIn, existingNotOptedIn);
    Map<String, Boolean> waitFor = matches.waitFor();
    Map<String, WorkloadView> matched = matches.matched();
    List<String> missing = matches.missing();
    List<String> notOptedIn = matches.notOptedIn();
    List<WorkloadStatus> statuses = new ArrayList<>();
    List<WorkloadView> toPatch = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    List<String> cannotBenefit = new ArrayList<>();
    boolean complete = true;
    for (Map.Entry<String, WorkloadView> e : matched.entrySet()) {
      WorkloadView w = e.getValue();
      if (!readsNextKey.test(w)) {
        cannotBenefit.add(w.kind() + " " + w.name());
      }
      String marked = w.annotation(annotationName);
      boolean current = Objects.equals(marked, keySet) || (marked == null && !rollUnmarked);
      boolean ready = current && w.rolledOut() && w.unsupportedStrategy().isEmpty();
      String message = null;
      String detail = null;
      if (!current) {
        toPatch.add(w);
        message = "pod template not yet at the current key set";
        detail = message;
      } else if (w.unsupportedStrategy().isPresent()) {
        message = w.unsupportedStrategy().get();
        unsupported.add(message);
      } else if (!ready) {
        // Not the replica counts: they change with every pod, and each change would be a status write.
        message = ROLLING_OUT;
        detail = w.notRolledOut().orElse(ROLLING_OUT);
      }
      if (!ready && waitFor.get(e.getKey())) {
        complete = false;
        if (w.unsupportedStrategy().isEmpty()) {
          waiting.add(w.kind() + " " + w.name());
          progress.add(w.kind() + " " + w.name() + ": " + detail);
        }
      }
      Long generation = current
          ? Long.valueOf(Math.max(w.generation(), generations.getOrDefault(e.getKey(), 0L)))
          : generations.get(e.getKey());
      statuses.add(new WorkloadStatus(w.kind(), w.name(), current ? keySet : marked,
          generation, ready, message));
    }
    return new RolloutAssessment(statuses, toPatch, complete, unsupported, missing, notOptedIn, waiting, progress,
        cannotBenefit);
  }

  /** Whether labels satisfy a (non-empty) selector, with the semantics of Kubernetes label selectors. */
  public static boolean matches(TargetSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    boolean any = false;
    if (selector.matchLabels != null) {
      for (Map.Entry<String, String> e : selector.matchLabels.entrySet()) {
        any = true;
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    if (selector.matchExpressions != null) {
      for (SelectorRequirement r : selector.matchExpressions) {
        any = true;
        if (r == null || r.operator == null) {
          return false;
        }
        String value = labels.get(r.key);
        List<String> values = r.values == null ? List.of() : r.values;
        boolean ok = switch (r.operator) {
          case In -> value != null && values.contains(value);
          case NotIn -> value == null || !values.contains(value);
          case Exists -> labels.containsKey(r.key);
          case DoesNotExist -> !labels.containsKey(r.key);
        };
        if (!ok) {
          return false;
        }
      }
    }
    return any;
  }

  private static String describe(TargetSelector selector) {
    return selector == null ? "{}" : String.valueOf(selector.matchLabels != null ? selector.matchLabels : selector.matchExpressions);
  }
}
