package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.photoapp.jwt.restart.Coalescer.Decision;
import io.photoapp.jwt.restart.Coalescer.Done;
import io.photoapp.jwt.restart.Coalescer.Flush;
import io.photoapp.jwt.restart.Coalescer.Offer;
import io.photoapp.jwt.restart.Coalescer.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Several JwtSecrets on one workload: patch now, or wait for the others due within the window. */
class CoalescerTest {
  static final Instant T = Instant.parse("2026-11-28T06:00:00Z");
  static final Duration W = Duration.ofSeconds(30);
  static final String WORKLOAD = "ns/Deployment/web";

  static Offer offer(String owner, Instant at) {
    return new Offer(owner, "jwt.photoapp.io/key-set." + owner, owner + "-k2," + owner + "-k1", at, W, false);
  }

  static Offer offer(String owner, Instant at, Duration window, boolean emergency) {
    return new Offer(owner, "jwt.photoapp.io/key-set." + owner, owner + "-k2", at, window, emergency);
  }

  static Optional<Instant> due(Instant t) {
    return Optional.of(t);
  }

  static Stream<Arguments> decisions() {
    Optional<Instant> notDue = Optional.empty();
    return Stream.of(
        argumentSet("alone on the workload: at once", T, List.of(offer("a", T)), Map.of(), "flush a"),
        argumentSet("a sharer not due (next rotation in 180 days): at once", T, List.of(offer("a", T)),
            Map.of("b", due(T.plus(Duration.ofDays(180)))), "flush a"),
        argumentSet("a sharer held by approval or a rollout (no due time): at once", T, List.of(offer("a", T)),
            Map.of("b", notDue), "flush a"),
        argumentSet("a sharer due just after the window: at once", T, List.of(offer("a", T)),
            Map.of("b", due(T.plusSeconds(31))), "flush a"),
        argumentSet("a sharer due now: wait for it until the window ends", T, List.of(offer("a", T)),
            Map.of("b", due(T)), "wait b until 06:00:30"),
        argumentSet("a sharer due at the window's last moment: wait", T, List.of(offer("a", T)),
            Map.of("b", due(T.plusSeconds(30))), "wait b until 06:00:30"),
        argumentSet("a sharer overdue (its reconcile is under way): wait", T.plusSeconds(1), List.of(offer("a", T)),
            Map.of("b", due(T.minusSeconds(5))), "wait b until 06:00:30"),
        argumentSet("two of three joined, the third due: wait for it only", T.plusSeconds(2),
            List.of(offer("a", T), offer("b", T.plusSeconds(1))), Map.of("b", due(T), "c", due(T)), "wait c until 06:00:30"),
        argumentSet("every due sharer joined: flush them all in one patch", T.plusSeconds(3),
            List.of(offer("a", T), offer("b", T.plusSeconds(1)), offer("c", T.plusSeconds(2))),
            Map.of("b", due(T), "c", due(T)), "flush a,b,c"),
        argumentSet("the window has passed: flush those that came", T.plusSeconds(30),
            List.of(offer("a", T), offer("b", T.plusSeconds(1))), Map.of("b", due(T), "c", due(T)), "flush a,b"),
        argumentSet("the window counts from the first offer", T.plusSeconds(29),
            List.of(offer("a", T), offer("b", T.plusSeconds(20))), Map.of("c", due(T.plusSeconds(25))), "wait c until 06:00:30"),
        argumentSet("an emergency never waits, and takes those waiting along", T.plusSeconds(1),
            List.of(offer("a", T), offer("e", T.plusSeconds(1), W, true)), Map.of("c", due(T)), "flush a,e"),
        argumentSet("coalesce 0s: never waits", T, List.of(offer("a", T, Duration.ZERO, false)), Map.of("b", due(T)),
            "flush a"),
        argumentSet("the shortest window of the batch counts", T.plusSeconds(10),
            List.of(offer("a", T, Duration.ofSeconds(10), false), offer("b", T)), Map.of("c", due(T)), "flush a,b"));
  }

  @ParameterizedTest
  @MethodSource("decisions")
  void flushNowOrWait(Instant now, List<Offer> pending, Map<String, Optional<Instant>> sharersDue, String expected) {
    assertThat(describe(Coalescer.decide(now, pending, sharersDue))).isEqualTo(expected);
  }

  static String describe(Decision d) {
    if (d instanceof Flush f) {
      return "flush " + String.join(",", f.batch().stream().map(Offer::owner).toList());
    }
    if (d instanceof Wait w) {
      return "wait " + String.join(",", w.awaited()) + " until " + w.until().toString().substring(11, 19);
    }
    return "done " + ((Done) d).generation();
  }

  @Test
  void threeOffersMakeOnePatchThatCarriesEveryAnnotationAndTheLateComersAreDone() {
    Coalescer c = new Coalescer();
    Map<String, Optional<Instant>> everyoneDue = Map.of("a", due(T), "b", due(T), "c", due(T));
    assertThat(c.offer(WORKLOAD, offer("a", T), 4, without(everyoneDue, "a"), T)).isInstanceOf(Wait.class);
    // Asking again keeps the first moment: the window does not move.
    Decision again = c.offer(WORKLOAD, offer("a", T.plusSeconds(5)), 4, without(everyoneDue, "a"), T.plusSeconds(5));
    assertThat(((Wait) again).until()).isEqualTo(T.plus(W));
    assertThat(c.offer(WORKLOAD, offer("b", T.plusSeconds(6)), 4, without(everyoneDue, "b"), T.plusSeconds(6)))
        .isInstanceOf(Wait.class);
    Decision last = c.offer(WORKLOAD, offer("c", T.plusSeconds(7)), 4, without(everyoneDue, "c"), T.plusSeconds(7));
    Flush flush = (Flush) last;
    assertThat(flush.annotations()).containsOnlyKeys("jwt.photoapp.io/key-set.a", "jwt.photoapp.io/key-set.b",
        "jwt.photoapp.io/key-set.c");
    assertThat(Coalescer.others(flush, "c")).containsExactly("a", "b");

    // While the patch is on its way, and after it until their caches show it, the others patch nothing.
    assertThat(c.offer(WORKLOAD, offer("a", T.plusSeconds(8)), 4, Map.of(), T.plusSeconds(8))).isEqualTo(new Done(0));
    c.sent(WORKLOAD, flush, 5, T.plusSeconds(8));
    assertThat(c.offer(WORKLOAD, offer("b", T.plusSeconds(9)), 4, Map.of(), T.plusSeconds(9))).isEqualTo(new Done(5));
    assertThat(c.waiting(T.plusSeconds(9))).isZero();
    // Someone changed the template after the patch was seen: patched again.
    assertThat(c.offer(WORKLOAD, offer("b", T.plusSeconds(60)), 6, Map.of(), T.plusSeconds(60))).isInstanceOf(Flush.class);
  }

  @Test
  void aPatchNotMadeLeavesItsOffersWaitingAsTheyWere() {
    Coalescer c = new Coalescer();
    c.offer(WORKLOAD, offer("a", T), 4, Map.of("b", due(T)), T);
    Flush flush = (Flush) c.offer(WORKLOAD, offer("b", T.plusSeconds(1)), 4, Map.of("a", due(T)), T.plusSeconds(1));
    c.notSent(WORKLOAD, flush);
    assertThat(c.waiting(T.plusSeconds(2))).isEqualTo(2);
    Flush retried = (Flush) c.offer(WORKLOAD, offer("a", T.plusSeconds(6)), 4, Map.of("b", due(T)), T.plusSeconds(6));
    assertThat(retried.batch()).extracting(Offer::owner).containsExactly("a", "b");
  }

  @Test
  void aDeletedJwtSecretsOfferIsForgottenAndStaleOffersExpire() {
    Coalescer c = new Coalescer();
    c.offer(WORKLOAD, offer("a", T), 4, Map.of("b", due(T)), T);
    c.offer("ns/Deployment/other", offer("b", T), 4, Map.of("c", due(T)), T);
    c.forgetOwner("a");
    assertThat(c.waiting(T)).isEqualTo(1);
    assertThat(c.waiting(T.plus(W).plus(Coalescer.STALE).plusSeconds(1))).isZero();
  }

  static Map<String, Optional<Instant>> without(Map<String, Optional<Instant>> due, String owner) {
    return due.entrySet().stream().filter(e -> !e.getKey().equals(owner))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
