package io.photoapp.jwt.restart;

import io.photoapp.jwt.api.WorkloadStatus;
import java.util.List;

/**
 * Where the targets stand against the key set the Secret holds.
 *
 * @param toPatch workloads whose pod-template annotation differs from the key set
 * @param complete every target that holds the rotation runs pods of the key set
 * @param unsupported targets that cannot roll on a template change
 * @param missing named targets that do not exist, or selectors that match nothing
 * @param notOptedIn targets that exist without the opt-in label
 * @param waiting the targets the rotation waits for, as "Kind name": stable while their pods roll, so
 *     that progress alone rewrites no status
 * @param progress the same targets with how far each has rolled ("Kind name: 1 of 3 replicas
 *     updated"), for the message of a rollout that has timed out
 * @param cannotBenefit targets whose pods read neither the next key nor the JWK set
 * @param queued targets whose patch waits for a slot ({@code --max-concurrent-rollouts}), each with
 *     its place in the queue
 */
public record RolloutAssessment(
    List<WorkloadStatus> workloads,
    List<WorkloadView> toPatch,
    boolean complete,
    List<String> unsupported,
    List<String> missing,
    List<String> notOptedIn,
    List<String> waiting,
    List<String> progress,
    List<String> cannotBenefit,
    List<String> queued) {

  public RolloutAssessment(List<WorkloadStatus> workloads, List<WorkloadView> toPatch, boolean complete,
      List<String> unsupported, List<String> missing, List<String> notOptedIn, List<String> waiting, List<String> progress,
      List<String> cannotBenefit) {
    this(workloads, toPatch, complete, unsupported, missing, notOptedIn, waiting, progress, cannotBenefit, List.of());
  }
}
