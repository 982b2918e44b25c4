package io.photoapp.jwt.reconciler;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.photoapp.jwt.api.JwtSecret;
import java.util.Set;

/**
 * Reconciles a JwtSecret whose patch waits in the rollout queue as soon as a slot of
 * {@code --max-concurrent-rollouts} comes back for it, rather than at its next recheck. No informer,
 * no thread: the event goes straight to the SDK's queue for that JwtSecret (which coalesces it with
 * any event already pending).
 */
final class SlotWakeups extends AbstractEventSource<Void, JwtSecret> {
  SlotWakeups() {
    super(Void.class, "rollout-slots");
  }

  /** Wakes the JwtSecret "namespace/name"; nothing before the operator has started. */
  void wake(String owner) {
    int slash = owner.indexOf('/');
    if (slash <= 0 || !isRunning()) {
      return;
    }
    getEventHandler().handleEvent(new Event(new ResourceID(owner.substring(slash + 1), owner.substring(0, slash))));
  }

  @Override
  public Set<Void> getSecondaryResources(JwtSecret primary) {
    return Set.of();
  }
}
