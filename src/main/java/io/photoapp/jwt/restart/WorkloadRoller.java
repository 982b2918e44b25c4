package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.WorkloadStatus;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls a JwtSecret's targets whose pod templates lag its key set: a shared workload waits for the other
 * JwtSecrets due to roll it ({@link Coalescer}), then one patch takes one slot of
 * {@code --max-concurrent-rollouts} ({@link RolloutSlots}) and carries every waiting JwtSecret's annotation.
 */
public final class WorkloadRoller {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadRoller.class);

  private final WorkloadPatcher patcher;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Coalescer coalescer = new Coalescer();
  /** Reconciles a queued JwtSecret ("namespace/name") at once when a slot it would get comes back. */
  private volatile Consumer<String> wake = owner -> { };
  private volatile RolloutSlots slots = slots(RolloutSlots.DEFAULT_MAX);

  /**
   * What a roll did.
   *
   * @param rollout the targets as they stand after the patches
   * @param started the workloads patched, as "Kind name", each with the other JwtSecrets its patch carried
   */
  public record Rolled(RolloutAssessment rollout, List<String> started) {}

  public WorkloadRoller(WorkloadPatcher patcher, OperatorMetrics metrics, Clock clock) {
    this.patcher = patcher;
    this.metrics = metrics;
    this.clock = clock;
    metrics.rolloutSlots(() -> slots.rolling(clock.instant()), () -> slots.queued(clock.instant()));
  }

  /** At most {@code max} workloads rolling at once across the cluster ({@code --max-concurrent-rollouts}). */
  public void limit(int max) {
    slots = slots(max);
  }

  /** Slots that wake through whatever {@link #onSlotFreed} set last. */
  private RolloutSlots slots(int max) {
    return new RolloutSlots(max, owner -> wake.accept(owner));
  }

  /** What wakes a queued JwtSecret ("namespace/name") when a slot comes back for it. */
  public void onSlotFreed(Consumer<String> wake) {
    this.wake = wake;
  }

  /** A workload seen rolled out at the generation of the operator's patch gives its slot back. */
  public void observe(String namespace, WorkloadView w) {
    slots.observe(slotKey(namespace, w), w.observedGeneration(), w.rolledOut());
  }

  /** Forgets what a deleted JwtSecret waits for. */
  public void forget(String owner) {
    slots.forgetOwner(owner);
    coalescer.forgetOwner(owner);
  }

  public Rolled roll(JwtSecret resource, EffectiveSpec spec, KeyState state, TargetViews views, RolloutAssessment rollout,
      Map<String, Long> generations) {
    String ns = resource.getMetadata().getNamespace();
    String owner = ns + "/" + resource.getMetadata().getName();
    Coalescer.Offer offer = new Coalescer.Offer(owner, KeySetAnnotation.nameFor(resource.getMetadata().getName()),
        state.keySet(), clock.instant(), spec.coalesce(), emergency(state));
    Set<String> rolled = new HashSet<>();
    List<String> started = new ArrayList<>();
    List<String> queued = new ArrayList<>();
    List<String> coalescing = new ArrayList<>();
    Optional<Instant> until = Optional.empty();
    Instant now = clock.instant();
    for (WorkloadView w : rollout.toPatch()) {
      String slot = slotKey(ns, w);
      Coalescer.Decision d = coalescer.offer(slot, offer, w.generation(), sharersDue(views, w, now), now);
      if (d instanceof Coalescer.Wait wait) {
        coalescing.add(w.kind() + " " + w.name() + " (with " + String.join(", ", wait.awaited()) + ")");
        until = Optional.of(until.filter(t -> t.isBefore(wait.until())).orElse(wait.until()));
        continue;
      }
      if (d instanceof Coalescer.Done done) {
        // Another JwtSecret's patch carried this key set already.
        rolled.add(w.kind() + "/" + w.name());
        if (done.generation() > 0) {
          generations.merge(w.kind() + "/" + w.name(), done.generation(), Math::max);
        }
        continue;
      }
      Coalescer.Flush flush = (Coalescer.Flush) d;
      RolloutSlots.Grant grant = slots.acquire(request(slot, owner, state), now, spec.rolloutTimeout());
      if (!grant.granted()) {
        coalescer.notSent(slot, flush);
        // The place is not in status: it moves at every slot given back, and each move would be a status
        // write of every queued JwtSecret (the bench saw 17 status patches per rotation instead of 5).
        queued.add(w.kind() + " " + w.name());
        LOG.debug("{}: {} {} is place {} in the rollout queue", owner, w.kind(), w.name(), grant.position());
        continue;
      }
      if (patch(ns, w, slot, flush, generations)) {
        rolled.add(w.kind() + "/" + w.name());
        List<String> others = Coalescer.others(flush, owner);
        started.add(w.kind() + " " + w.name() + (others.isEmpty() ? "" : " (one rollout with " + String.join(", ", others) + ")"));
      }
    }
    if (!queued.isEmpty()) {
      LOG.debug("{}: {} queued behind {} workloads rolling", owner, queued, slots.rolling(now));
    }
    return new Rolled(after(rollout, state, rolled, generations, queued, coalescing, until), started);
  }

  /** Patches one workload with a batch's annotations; false when it was deleted meanwhile. */
  private boolean patch(String ns, WorkloadView w, String slot, Coalescer.Flush flush, Map<String, Long> generations) {
    try {
      long generation = patcher.setAnnotations(ns, w, flush.annotations());
      slots.patched(slot, generation);
      coalescer.sent(slot, flush, generation, clock.instant());
      generations.put(w.kind() + "/" + w.name(), generation);
      metrics.workloadRestarted(ns, w.kind().name(), w.name());
      return true;
    } catch (RuntimeException e) {
      // Not patched, or not known to be: the slot goes back, and the batch waits again.
      slots.release(slot);
      coalescer.notSent(slot, flush);
      if (!(e instanceof KubernetesClientException kce) || kce.getCode() != 404) {
        throw e;
      }
      LOG.info("target {} {} in {} was deleted; dropped from the rotation", w.kind(), w.name(), ns);
      return false;
    }
  }

  /** The workloads changed under us: judged again from the patched generations. */
  private static RolloutAssessment after(RolloutAssessment rollout, KeyState state, Set<String> rolled,
      Map<String, Long> generations, List<String> queued, List<String> coalescing, Optional<Instant> until) {
    List<WorkloadStatus> statuses = rollout.workloads().stream().map(ws -> {
      String key = ws.kind + "/" + ws.name;
      if (rolled.contains(key)) {
        return new WorkloadStatus(ws.kind, ws.name, state.keySet(), generations.get(key), false, RolloutPlanner.ROLLING_OUT);
      }
      return ws;
    }).toList();
    boolean complete = rollout.complete() && rolled.isEmpty() && queued.isEmpty() && coalescing.isEmpty();
    return new RolloutAssessment(statuses, List.of(), complete && statuses.stream().allMatch(s -> Boolean.TRUE.equals(s.ready)),
        rollout.unsupported(), rollout.missing(), rollout.notOptedIn(), rollout.waiting(), rollout.progress(),
        rollout.cannotBenefit(), queued, coalescing, until);
  }

  /** When each other JwtSecret that rolls the workload is next due to roll it. */
  private static Map<String, Optional<Instant>> sharersDue(TargetViews views, WorkloadView w, Instant now) {
    Map<String, Optional<Instant>> due = new LinkedHashMap<>();
    for (JwtSecret js : views.sharersOf(w)) {
      due.put(js.getMetadata().getNamespace() + "/" + js.getMetadata().getName(),
          SharerDue.of(js, views.approvalRequired(), now));
    }
    return due;
  }

  /** An emergency rotation's stage: first in the slots' queue, and it never waits for other JwtSecrets. */
  private static boolean emergency(KeyState state) {
    return state.phase() == Phase.Idle
        && (Reasons.EMERGENCY.equals(state.reason()) || Reasons.POLICY_VIOLATION.equals(state.reason()));
  }

  /** A slot's request: emergencies first, then by when the stage became due (its Secret write). */
  private static RolloutSlots.Request request(String slot, String owner, KeyState state) {
    Instant due = state.next().map(StoredKey::createdAt).orElse(state.rotatedAt());
    return new RolloutSlots.Request(slot, owner, emergency(state), due);
  }

  private static String slotKey(String ns, WorkloadView w) {
    return ns + "/" + w.kind() + "/" + w.name();
  }
}
