package io.photoapp.jwt.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * How many workloads the operator has rolling at once across the cluster ({@code --max-concurrent-rollouts}):
 * a workload takes a slot when the operator patches it and gives it back when its rollout is seen
 * complete, or once its JwtSecret's {@code rolloutTimeout} has passed, and at most {@link #MAX_HOLD}
 * after the patch: the timeout is written by a namespace's user (up to 87600h), and a slot is shared by
 * every namespace, so ten stuck rollouts of one namespace must not hold every slot for as long as its
 * user likes. Patches beyond the cap wait in a queue ordered by emergency first, then by how many slots
 * their namespace holds (fewest first: a namespace that holds slots cannot keep another's patches waiting
 * behind its own queue), then by the time their stage became due; a free slot goes to the next patch that
 * asks unless emergencies wait for it. One namespace's fleet keeps the order of its stages. In memory: a
 * new leader starts with every slot free. Time is passed in.
 *
 * <p>A slot given back wakes the JwtSecrets next in the queue at once (the {@code wake} callback, run
 * outside the lock): a queued JwtSecret otherwise looked again only at its next recheck, and all those
 * queued in one burst rechecked together, so a freed slot could stay idle for up to
 * {@link RolloutAssessment#QUEUE_RECHECK} while others waited. The recheck stays, in case a woken
 * JwtSecret finds the slot taken.
 */
public final class RolloutSlots {
  public static final int DEFAULT_MAX = 10;
  /** A queued request that no reconcile has asked for again within this long is dropped. */
  static final Duration STALE = Duration.ofMinutes(2);
  /**
   * The longest a slot is held, whatever a JwtSecret's {@code rolloutTimeout} says: the default
   * {@code rolloutTimeout}. A rollout still going then goes on without its slot (the JwtSecret's own
   * timeout still decides when its stage holds), and the next patch in the queue gets the slot.
   */
  public static final Duration MAX_HOLD = io.photoapp.jwt.spec.SpecResolver.DEFAULT_ROLLOUT_TIMEOUT;

  /**
   * One patch that wants a slot.
   *
   * @param workload "namespace/Kind/name"
   * @param owner "namespace/name" of the JwtSecret
   * @param emergency an emergency rotation's stage: ahead of every planned one
   * @param due when the stage became due (its Secret write): earlier first
   */
  public record Request(String workload, String owner, boolean emergency, Instant due) {}

  /** The answer: a slot, or the place in the queue (1: next) and how many workloads are rolling. */
  public record Grant(boolean granted, int position, int rolling) {}

  private record InFlight(String owner, Instant expires, long generation) {}

  private record Waiting(Request request, Instant lastAsked) {}


  private final int max;
  private final Consumer<String> wake;
  private final Map<String, InFlight> inFlight = new HashMap<>();
  private final Map<String, Waiting> waiting = new HashMap<>();
  /** A slot came back since the queue was last woken (guarded by this). */
  private boolean freed;

  public RolloutSlots(int max) {
    this(max, owner -> { });
  }

  /**
   * @param wake called with the owner ("namespace/name") of each request that a slot given back
   *     would now be granted to, so that it asks again without waiting for its recheck
   */
  public RolloutSlots(int max, Consumer<String> wake) {
    if (max < 1) {
      throw new IllegalArgumentException("max concurrent rollouts must be at least 1, not " + max);
    }
    this.max = max;
    this.wake = wake;
  }

  public int max() {
    return max;
  }

  /**
   * A slot for the request's workload, or its place in the queue. A workload already rolling is
   * patched again without another slot (several JwtSecrets on one workload count once).
   */
  public Grant acquire(Request r, Instant now, Duration hold) {
    Grant grant = take(r, now, hold);
    wakeNext();
    return grant;
  }

  private synchronized Grant take(Request r, Instant now, Duration hold) {
    expire(now);
    String key = r.workload() + "|" + r.owner();
    if (inFlight.containsKey(r.workload())) {
      waiting.remove(key);
      return new Grant(true, 0, inFlight.size());
    }
    waiting.put(key, new Waiting(r, now));
    Map<String, Long> held = heldByNamespace();
    List<Request> order = queueOrder(held);
    int free = max - inFlight.size();
    int index = order.indexOf(r);
    // Work-conserving: a free slot is never left idle for a planned patch whose turn has not come
    // while those ahead wait for their next look; only emergencies ahead, and patches of namespaces that
    // hold fewer slots than this one's, keep slots for themselves (until they go stale).
    long mine = held.getOrDefault(namespace(r.owner()), 0L);
    long reservedAhead = order.subList(0, index).stream()
        .filter(a -> a.emergency() || held.getOrDefault(namespace(a.owner()), 0L) < mine).count();
    if (index < free || reservedAhead < free) {
      waiting.remove(key);
      inFlight.put(r.workload(), new InFlight(r.owner(), now.plus(hold.compareTo(MAX_HOLD) > 0 ? MAX_HOLD : hold), 0));
      return new Grant(true, 0, inFlight.size());
    }
    return new Grant(false, index - Math.max(free, 0) + 1, inFlight.size());
  }

  /** The generation the operator's patch gave the workload: its rollout is complete once observed there. */
  public synchronized void patched(String workload, long generation) {
    InFlight f = inFlight.get(workload);
    if (f != null) {
      inFlight.put(workload, new InFlight(f.owner(), f.expires(), generation));
    }
  }

  /** Gives the slot back when the workload has rolled out at (or past) the generation of the operator's patch. */
  public void observe(String workload, long generation, boolean rolledOut) {
    synchronized (this) {
      InFlight f = inFlight.get(workload);
      if (f != null && rolledOut && generation >= f.generation() && f.generation() > 0) {
        free(workload);
      }
    }
    wakeNext();
  }

  /** Gives the slot back at once (the workload was deleted, or its patch failed). */
  public void release(String workload) {
    synchronized (this) {
      free(workload);
    }
    wakeNext();
  }

  /** Drops what an owner asked for (a deleted JwtSecret). */
  public synchronized void forgetOwner(String owner) {
    waiting.values().removeIf(w -> w.request().owner().equals(owner));
  }

  public int rolling(Instant now) {
    return afterExpiry(now, inFlight::size);
  }

  public int queued(Instant now) {
    return afterExpiry(now, waiting::size);
  }

  /** {@code count} once the expired slots and stale requests are gone (a slot that came back wakes the queue). */
  private int afterExpiry(Instant now, IntSupplier count) {
    int value;
    synchronized (this) {
      expire(now);
      value = count.getAsInt();
    }
    wakeNext();
    return value;
  }

  private void free(String workload) {
    if (inFlight.remove(workload) != null) {
      freed = true;
    }
  }

  private void expire(Instant now) {
    if (inFlight.values().removeIf(f -> !now.isBefore(f.expires()))) {
      freed = true;
    }
    waiting.values().removeIf(w -> w.lastAsked().plus(STALE).isBefore(now));
  }

  /** The waiting requests in the order they get slots: emergencies, then namespaces holding fewest, then due. */
  private List<Request> queueOrder(Map<String, Long> held) {
    Comparator<Request> order = Comparator.comparing((Request r) -> !r.emergency())
        .thenComparing(r -> held.getOrDefault(namespace(r.owner()), 0L))
        .thenComparing(Request::due).thenComparing(Request::workload).thenComparing(Request::owner);
    return new ArrayList<>(waiting.values().stream().map(Waiting::request).sorted(order).toList());
  }

  private Map<String, Long> heldByNamespace() {
    Map<String, Long> held = new HashMap<>();
    inFlight.values().forEach(f -> held.merge(namespace(f.owner()), 1L, Long::sum));
    return held;
  }

  private static String namespace(String owner) {
    int slash = owner.indexOf('/');
    return slash < 0 ? owner : owner.substring(0, slash);
  }

  /** After a slot came back: wakes the owners of the requests the free slots would go to, in queue order. */
  private void wakeNext() {
    List<String> owners;
    synchronized (this) {
      if (!freed) {
        return;
      }
      freed = false;
      int free = max - inFlight.size();
      if (free <= 0 || waiting.isEmpty()) {
        return;
      }
      owners = queueOrder(heldByNamespace()).stream().limit(free).map(Request::owner).distinct().toList();
    }
    owners.forEach(wake);
  }
}
