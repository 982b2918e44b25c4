package io.photoapp.jwt.restart;

import io.photoapp.jwt.api.JwtSecret;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The opted-in workloads a JwtSecret's targets name or select, and its named targets that exist without the label.
 *
 * @param rolloutsReadable whether Argo Rollouts can be read (their CRD is installed and the operator may list them)
 * @param sharers the other JwtSecrets that roll each opted-in workload, by "Kind/name" (only workloads that have some)
 * @param approvalRequired the namespace requires approval: the floor of the sharers' approval too
 */
public record TargetViews(List<WorkloadView> optedIn, Set<String> notOptedIn, boolean rolloutsReadable,
    Map<String, List<JwtSecret>> sharers, boolean approvalRequired) {
  public static final TargetViews NONE = new TargetViews(List.of(), Set.of(), true);

  public TargetViews(List<WorkloadView> optedIn, Set<String> notOptedIn) {
    this(optedIn, notOptedIn, true);
  }

  public TargetViews(List<WorkloadView> optedIn, Set<String> notOptedIn, boolean rolloutsReadable) {
    this(optedIn, notOptedIn, rolloutsReadable, Map.of(), false);
  }

  /** The other JwtSecrets that roll a workload. */
  public List<JwtSecret> sharersOf(WorkloadView w) {
    return sharers.getOrDefault(w.kind() + "/" + w.name(), List.of());
  }
}
