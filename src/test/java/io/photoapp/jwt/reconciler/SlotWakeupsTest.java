package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A slot given back reaches the SDK as an event for the queued JwtSecret, once the operator runs. */
class SlotWakeupsTest {
  final List<Event> events = new ArrayList<>();
  final EventHandler handler = events::add;

  @Test
  void aWakeIsAnEventForTheJwtSecretNamedByItsOwner() {
    SlotWakeups wakeups = new SlotWakeups();
    wakeups.setEventHandler(handler);
    wakeups.wake("team-a/photoapp-jwt");
    assertThat(events).isEmpty();

    wakeups.start();
    wakeups.wake("team-a/photoapp-jwt");
    assertThat(events).extracting(Event::getRelatedCustomResourceID).containsExactly(new ResourceID("photoapp-jwt", "team-a"));

    wakeups.stop();
    wakeups.wake("team-a/photoapp-jwt");
    assertThat(events).hasSize(1);
  }
}
