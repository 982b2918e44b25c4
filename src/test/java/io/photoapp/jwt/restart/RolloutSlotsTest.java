package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.restart.RolloutSlots.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cap on workloads rolling at once: who gets a slot, who waits, and when a slot comes back. */
class RolloutSlotsTest {
  static final Instant T = Instant.parse("2026-11-28T06:00:00Z");
  static final Duration HOLD = Duration.ofMinutes(10);

  static Request planned(String workload, Instant due) {
    return new Request("ns/Deployment/" + workload, "ns/" + workload + "-jwt", false, due);
  }

  @Test
  void beyondTheCapPatchesQueueAndASlotComesBackWhenTheRolloutIsSeenComplete() {
    RolloutSlots slots = new RolloutSlots(2);
    assertThat(slots.acquire(planned("a", T), T, HOLD).granted()).isTrue();
    slots.patched("ns/Deployment/a", 5);
    assertThat(slots.acquire(planned("b", T), T, HOLD).granted()).isTrue();
    slots.patched("ns/Deployment/b", 3);
    RolloutSlots.Grant c = slots.acquire(planned("c", T), T, HOLD);
    assertThat(c.granted()).isFalse();
    assertThat(c.position()).isEqualTo(1);
    assertThat(c.rolling()).isEqualTo(2);
    assertThat(slots.queued(T)).isEqualTo(1);

    // The cache still shows the state before the patch: no slot comes back.
    slots.observe("ns/Deployment/a", 4, true);
    assertThat(slots.acquire(planned("c", T), T, HOLD).granted()).isFalse();
    // Rolled out at the patched generation: the slot goes to c.
    slots.observe("ns/Deployment/a", 5, true);
    assertThat(slots.acquire(planned("c", T), T, HOLD).granted()).isTrue();
    assertThat(slots.queued(T)).isZero();
  }

  @Test
  void theQueueServesEmergenciesFirstThenTheEarliestDueTime() {
    RolloutSlots slots = new RolloutSlots(1);
    slots.acquire(planned("busy", T), T, HOLD);
    slots.patched("ns/Deployment/busy", 2);
    Request late = planned("late", T.plusSeconds(60));
    Request early = planned("early", T.plusSeconds(10));
    Request emergency = new Request("ns/Deployment/hot", "ns/hot-jwt", true, T.plusSeconds(120));
    slots.acquire(late, T, HOLD);
    slots.acquire(early, T, HOLD);
    assertThat(slots.acquire(emergency, T, HOLD).position()).isEqualTo(1);
    assertThat(slots.acquire(early, T, HOLD).position()).isEqualTo(2);
    assertThat(slots.acquire(late, T, HOLD).position()).isEqualTo(3);

    slots.observe("ns/Deployment/busy", 2, true);
    // The late one asks first, but the slot is the emergency's.
    assertThat(slots.acquire(late, T, HOLD).granted()).isFalse();
    assertThat(slots.acquire(emergency, T, HOLD).granted()).isTrue();
  }

  @Test
  void aWorkloadAlreadyRollingTakesNoSecondSlotAndAStuckRolloutFreesItsSlotAtTheTimeout() {
    RolloutSlots slots = new RolloutSlots(1);
    slots.acquire(planned("shared", T), T, HOLD);
    Request other = new Request("ns/Deployment/shared", "ns/other-jwt", false, T);
    assertThat(slots.acquire(other, T, HOLD).granted()).isTrue();
    assertThat(slots.rolling(T)).isEqualTo(1);
    assertThat(slots.acquire(planned("next", T), T.plus(HOLD).minusSeconds(1), HOLD).granted()).isFalse();
    assertThat(slots.acquire(planned("next", T), T.plus(HOLD), HOLD).granted()).isTrue();
  }

  @Test
  void aRequestNoLongerAskedForLeavesTheQueue() {
    RolloutSlots slots = new RolloutSlots(1);
    slots.acquire(planned("busy", T), T, HOLD);
    slots.acquire(planned("gone", T), T, HOLD);
    assertThat(slots.queued(T)).isEqualTo(1);
    assertThat(slots.queued(T.plus(RolloutSlots.STALE).plusSeconds(1))).isZero();
  }

  @Test
  void aSlotGivenBackWakesTheOwnersNextInTheQueueInOrder() {
    List<String> woken = new ArrayList<>();
    RolloutSlots slots = new RolloutSlots(2, woken::add);
    slots.acquire(planned("a", T), T, HOLD);
    slots.patched("ns/Deployment/a", 5);
    slots.acquire(planned("b", T), T, HOLD);
    slots.patched("ns/Deployment/b", 5);
    slots.acquire(planned("late", T.plusSeconds(60)), T, HOLD);
    slots.acquire(planned("early", T.plusSeconds(10)), T, HOLD);
    slots.acquire(new Request("ns/Deployment/hot", "ns/hot-jwt", true, T.plusSeconds(120)), T, HOLD);
    assertThat(woken).as("nothing came back yet").isEmpty();

    // Seen at an older generation: the slot is still taken, nobody is woken.
    slots.observe("ns/Deployment/a", 4, true);
    assertThat(woken).isEmpty();
    // One slot back: the emergency is woken, not the others.
    slots.observe("ns/Deployment/a", 5, true);
    assertThat(woken).containsExactly("ns/hot-jwt");
    // Seen again: nothing more comes back, nobody more is woken.
    slots.observe("ns/Deployment/a", 5, true);
    assertThat(woken).containsExactly("ns/hot-jwt");

    // The second slot back before the emergency asked: both free slots wake the first two in the queue.
    woken.clear();
    slots.release("ns/Deployment/b");
    assertThat(woken).containsExactly("ns/hot-jwt", "ns/early-jwt");
  }

  @Test
  void aStuckRolloutReachingItsTimeoutWakesTheQueue() {
    List<String> woken = new ArrayList<>();
    RolloutSlots slots = new RolloutSlots(1, woken::add);
    slots.acquire(planned("stuck", T), T, HOLD);
    slots.patched("ns/Deployment/stuck", 2);
    slots.acquire(planned("next", T), T, HOLD);
    // Still queued (it asked again within STALE), still no slot.
    assertThat(slots.acquire(planned("next", T), T.plus(HOLD).minusSeconds(1), HOLD).granted()).isFalse();
    assertThat(woken).isEmpty();
    // The metrics page reads the gauges: the expiry they see wakes the queue too.
    assertThat(slots.rolling(T.plus(HOLD))).isZero();
    assertThat(woken).containsExactly("ns/next-jwt");
  }

  @Test
  void aSlotGivenBackWithNobodyQueuedWakesNobodyLater() {
    List<String> woken = new ArrayList<>();
    RolloutSlots slots = new RolloutSlots(1, woken::add);
    slots.acquire(planned("a", T), T, HOLD);
    slots.patched("ns/Deployment/a", 2);
    slots.observe("ns/Deployment/a", 2, true);
    // A request queued later behind a new rollout is not woken by the old slot.
    slots.acquire(planned("b", T), T, HOLD);
    slots.patched("ns/Deployment/b", 2);
    slots.acquire(planned("c", T), T, HOLD);
    assertThat(woken).isEmpty();
  }

  @Test
  void aWokenJwtSecretThatAsksAtOnceGetsTheSlot() {
    List<Boolean> granted = new ArrayList<>();
    RolloutSlots[] holder = new RolloutSlots[1];
    // The woken JwtSecret asks again from within the wake (the slot is free, and counted so, by then).
    holder[0] = new RolloutSlots(1, owner -> granted.add(holder[0].acquire(planned("next", T), T, HOLD).granted()));
    RolloutSlots slots = holder[0];
    slots.acquire(planned("a", T), T, HOLD);
    slots.patched("ns/Deployment/a", 2);
    slots.acquire(planned("next", T), T, HOLD);
    slots.observe("ns/Deployment/a", 2, true);
    assertThat(granted).containsExactly(true);
    assertThat(slots.queued(T)).isZero();
  }

  /**
   * The slots are shared by every namespace, and a slot is held until the rollout completes or the
   * JwtSecret's own {@code rolloutTimeout} passes, which its namespace user writes (up to 87600h). One
   * namespace's JwtSecret targeting ten opted-in Deployments of its own whose pods never get ready
   * (a failing readiness probe) takes every slot at its next stage and keeps them: another namespace's
   * emergency rotation then never gets its pods restarted. A slot is held at most {@link RolloutSlots#MAX_HOLD}.
   */
  @Test
  void oneNamespacesStuckRolloutsDoNotHoldEverySlotFromAnotherNamespacesEmergency() {
    RolloutSlots slots = new RolloutSlots(RolloutSlots.DEFAULT_MAX);
    Duration tenantsTimeout = io.photoapp.jwt.spec.Durations.parse("87600h");
    for (int i = 0; i < RolloutSlots.DEFAULT_MAX; i++) {
      assertThat(slots.acquire(new Request("tenant/Deployment/stuck-" + i, "tenant/hog", false, T), T, tenantsTimeout)
          .granted()).isTrue();
      slots.patched("tenant/Deployment/stuck-" + i, 2);
      slots.observe("tenant/Deployment/stuck-" + i, 2, false);
    }
    Instant beforeTheBound = T.plus(RolloutSlots.MAX_HOLD).minusSeconds(1);
    Request emergency = new Request("victim/Deployment/api", "victim/api-jwt", true, beforeTheBound);
    assertThat(slots.acquire(emergency, beforeTheBound, HOLD).granted()).as("every slot is still held").isFalse();
    Instant atTheBound = T.plus(RolloutSlots.MAX_HOLD);
    assertThat(slots.acquire(emergency, atTheBound, HOLD).granted()).isTrue();
  }

  /**
   * A namespace that holds slots cannot keep another namespace's patches waiting behind its own queue:
   * the tenant's fifty stages, all due earlier, wait while the victim's stage gets the next free slot.
   * Within one namespace the order of due times stays.
   */
  @Test
  void aFreeSlotGoesFirstToTheNamespaceHoldingFewest() {
    RolloutSlots slots = new RolloutSlots(2);
    for (String w : List.of("hog-0", "hog-1")) {
      assertThat(slots.acquire(new Request("tenant/Deployment/" + w, "tenant/" + w, false, T), T, HOLD).granted()).isTrue();
      slots.patched("tenant/Deployment/" + w, 2);
    }
    List<Request> tenantsQueue = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Request r = new Request("tenant/Deployment/q-" + i, "tenant/q-" + i, false, T.plusSeconds(i));
      tenantsQueue.add(r);
      assertThat(slots.acquire(r, T, HOLD).granted()).isFalse();
    }
    Request victims = new Request("victim/Deployment/api", "victim/api-jwt", false, T.plusSeconds(3600));
    assertThat(slots.acquire(victims, T, HOLD).position()).isEqualTo(1);

    slots.observe("tenant/Deployment/hog-0", 2, true);
    assertThat(slots.acquire(tenantsQueue.get(0), T, HOLD).granted()).as("the tenant's earliest asks first").isFalse();
    assertThat(slots.acquire(victims, T, HOLD).granted()).isTrue();
    slots.patched("victim/Deployment/api", 7);
    // Both namespaces hold one now: the tenant's stages queue by their due times again.
    assertThat(slots.acquire(tenantsQueue.get(1), T, HOLD).position()).isEqualTo(2);
    assertThat(slots.acquire(tenantsQueue.get(0), T, HOLD).position()).isEqualTo(1);
  }
}
