package io.photoapp.jwt.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Several JwtSecrets that roll one workload at stages within {@code spec.restart.coalesce} of each other
 * roll it once: the first to ask waits (at most its window) for the others that are due, and the last
 * to come, or the first to look again once the window has passed, patches the pod template with every
 * waiting JwtSecret's key-set annotation. Whether to patch now or wait is {@link #decide}, a pure
 * function; this class keeps what is waiting, by workload, in memory (only the leader reconciles; a new
 * leader starts with nothing waiting, and each JwtSecret asks again). Time is passed in.
 */
public final class Coalescer {
  /** An offer nobody asked for again within this long after its window is dropped (its JwtSecret moved on). */
  static final Duration STALE = Duration.ofMinutes(2);
  /** How long a patch is remembered, so that a JwtSecret whose cache has not yet seen it does not patch again. */
  static final Duration REMEMBERED = Duration.ofMinutes(10);

  /**
   * A JwtSecret's wish to set its key-set annotation on a workload.
   *
   * @param owner "namespace/name" of the JwtSecret
   * @param askedAt when it first asked for this value
   * @param window its {@code spec.restart.coalesce}; zero: it never waits
   * @param emergency an emergency rotation's stage: it never waits
   */
  public record Offer(String owner, String annotation, String value, Instant askedAt, Duration window, boolean emergency) {}

  /** What to do with a workload now. */
  public sealed interface Decision permits Flush, Wait, Done {}

  /** Patch now, once, with the annotation of every offer in the batch. */
  public record Flush(List<Offer> batch) implements Decision {
    /** The annotations the one patch sets. */
    public Map<String, String> annotations() {
      Map<String, String> out = new LinkedHashMap<>();
      batch.forEach(o -> out.put(o.annotation(), o.value()));
      return out;
    }
  }

  /** Wait, at the latest until {@code until}, for the JwtSecrets named (the sharers due within the window). */
  public record Wait(Instant until, List<String> awaited) implements Decision {}

  /**
   * Another JwtSecret's patch carries this value already (or is being sent): nothing to patch.
   *
   * @param generation the workload's generation after that patch; 0 while it is being sent
   */
  public record Done(long generation) implements Decision {}

  private record Sent(Map<String, String> values, long generation, Instant at) {}

  private final Map<String, Map<String, Offer>> waiting = new HashMap<>();
  private final Map<String, Sent> sent = new HashMap<>();

  /**
   * Flush now, or wait: pure. A batch is flushed at once when an offer in it is an emergency or does
   * not coalesce (window 0s), once its window (from the first offer, the shortest window) has passed,
   * or when no other JwtSecret that rolls the workload is due within the window. A workload only one
   * JwtSecret rolls is therefore never delayed, and a sharer that is not due is never waited for.
   *
   * @param pending the offers waiting on the workload, the one being made included
   * @param sharersDue the other JwtSecrets rolling the workload, by owner, with when each is next due to
   *     roll it (empty: not due, or held by something other than time, such as approval)
   */
  public static Decision decide(Instant now, Collection<Offer> pending, Map<String, Optional<Instant>> sharersDue) {
    List<Offer> batch = pending.stream().sorted(Comparator.comparing(Offer::askedAt).thenComparing(Offer::owner)).toList();
    if (batch.stream().anyMatch(o -> o.emergency() || o.window().isZero() || o.window().isNegative())) {
      return new Flush(batch);
    }
    Instant deadline = batch.stream().map(o -> o.askedAt().plus(o.window())).min(Instant::compareTo).orElse(now);
    if (!now.isBefore(deadline)) {
      return new Flush(batch);
    }
    Set<String> joined = batch.stream().map(Offer::owner).collect(Collectors.toSet());
    List<String> awaited = sharersDue.entrySet().stream()
        .filter(e -> !joined.contains(e.getKey()) && e.getValue().map(t -> !t.isAfter(deadline)).orElse(false))
        .map(Map.Entry::getKey).sorted().toList();
    return awaited.isEmpty() ? new Flush(batch) : new Wait(deadline, awaited);
  }

  /**
   * A JwtSecret asks to set its annotation on a workload.
   *
   * @param workload "namespace/Kind/name"
   * @param seenGeneration the workload's generation as the asking reconcile sees it
   */
  public synchronized Decision offer(String workload, Offer offer, long seenGeneration, Map<String, Optional<Instant>> sharersDue,
      Instant now) {
    expire(now);
    Sent s = sent.get(workload);
    if (s != null && offer.value().equals(s.values().get(offer.annotation()))
        && (s.generation() == 0 || seenGeneration < s.generation())) {
      // Carried by a patch this reconcile's cache has not seen yet (or that is on its way).
      return new Done(s.generation());
    }
    Map<String, Offer> offers = waiting.computeIfAbsent(workload, k -> new LinkedHashMap<>());
    Offer earlier = offers.get(offer.owner());
    if (earlier != null && earlier.value().equals(offer.value()) && earlier.annotation().equals(offer.annotation())) {
      // The window counts from the first time this value was asked for.
      offer = new Offer(offer.owner(), offer.annotation(), offer.value(), earlier.askedAt(), offer.window(), offer.emergency());
    }
    offers.put(offer.owner(), offer);
    Decision d = decide(now, offers.values(), sharersDue);
    if (d instanceof Flush f) {
      // On its way: another offer of the same values until it is sent is Done, not a second patch.
      waiting.remove(workload);
      sent.put(workload, new Sent(valuesOf(f.batch()), 0, now));
    }
    return d;
  }

  /** The batch's patch was made: the workload's new generation. */
  public synchronized void sent(String workload, Flush flush, long generation, Instant now) {
    sent.put(workload, new Sent(valuesOf(flush.batch()), Math.max(generation, 1), now));
  }

  /** The batch's patch was not made (no slot, or it failed): its offers wait again, as they were. */
  public synchronized void notSent(String workload, Flush flush) {
    sent.remove(workload);
    Map<String, Offer> offers = waiting.computeIfAbsent(workload, k -> new LinkedHashMap<>());
    flush.batch().forEach(o -> offers.putIfAbsent(o.owner(), o));
  }

  /** Drops what a deleted JwtSecret offered. */
  public synchronized void forgetOwner(String owner) {
    waiting.values().forEach(offers -> offers.remove(owner));
    waiting.values().removeIf(Map::isEmpty);
  }

  /** Offers waiting, across workloads. */
  public synchronized int waiting(Instant now) {
    expire(now);
    return waiting.values().stream().mapToInt(Map::size).sum();
  }

  private static Map<String, String> valuesOf(List<Offer> batch) {
    Map<String, String> values = new HashMap<>();
    batch.forEach(o -> values.put(o.annotation(), o.value()));
    return values;
  }

  private void expire(Instant now) {
    waiting.values().forEach(offers -> offers.values().removeIf(o -> o.askedAt().plus(o.window()).plus(STALE).isBefore(now)));
    waiting.values().removeIf(Map::isEmpty);
    sent.values().removeIf(s -> s.at().plus(REMEMBERED).isBefore(now));
  }

  /** The owners of a batch other than {@code owner}, for the message of the patch. */
  public static List<String> others(Flush flush, String owner) {
    List<String> out = new ArrayList<>();
    flush.batch().stream().map(Offer::owner).filter(o -> !Objects.equals(o, owner)).forEach(out::add);
    return out;
  }
}
