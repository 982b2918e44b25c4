package io.photoapp.jwt.restart;

import io.photoapp.jwt.api.WorkloadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
 * @param coalescing targets whose patch waits for the other JwtSecrets due to roll them
 *     ({@code spec.restart.coalesce}), each with those it waits for
 * @param coalescingUntil the latest moment a coalescing patch waits until
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
    List<String> queued,
    List<String> coalescing,
    Optional<Instant> coalescingUntil) {
  /** How soon a JwtSecret with a queued patch looks again for a free slot. */
  public static final Duration QUEUE_RECHECK = Duration.ofSeconds(5);

  public RolloutAssessment(List<WorkloadStatus> workloads, List<WorkloadView> toPatch, boolean complete,
      List<String> unsupported, List<String> missing, List<String> notOptedIn, List<String> waiting, List<String> progress,
      List<String> cannotBenefit, List<String> queued) {
    this(workloads, toPatch, complete, unsupported, missing, notOptedIn, waiting, progress, cannotBenefit, queued, List.of(),
        Optional.empty());
  }

  public RolloutAssessment(List<WorkloadStatus> workloads, List<WorkloadView> toPatch, boolean complete,
      List<String> unsupported, List<String> missing, List<String> notOptedIn, List<String> waiting, List<String> progress,
      List<String> cannotBenefit) {
    this(workloads, toPatch, complete, unsupported, missing, notOptedIn, waiting, progress, cannotBenefit, List.of());
  }

  /**
   * When to look again for a patch not yet made: soon for a slot, at the end of the coalescing window
   * for the other JwtSecrets; empty when no patch waits.
   */
  public Optional<Duration> recheck(Instant now) {
    Optional<Duration> coalesce = coalescingUntil.map(t -> Duration.between(now, t))
        .map(d -> d.isNegative() ? Duration.ZERO : d);
    if (queued.isEmpty()) {
      return coalesce;
    }
    return Optional.of(coalesce.filter(d -> d.compareTo(QUEUE_RECHECK) < 0).orElse(QUEUE_RECHECK));
  }
}
