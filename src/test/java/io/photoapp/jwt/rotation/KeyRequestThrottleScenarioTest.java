package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exploit refused: moving spec.rotation.invalidateBefore forward again and again made the operator
 * generate a key each time (an 8192-bit RSA key is about a minute of CPU). Now a JwtSecret gets at
 * most three new keys within ten minutes, emergencies included; the fourth waits and says until when.
 */
class KeyRequestThrottleScenarioTest extends RotationScenarios {

  void invalidateBeforeNow() {
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"rotation\":{\"invalidateBefore\":\"" + h.clock.instant() + "\"}}}");
  }

  JwtSecret awaitKeyMadeAtOrAfter(Instant t) {
    return h.awaitStatus(NS, NAME, js -> js.getStatus().keyCreatedAt != null
        && !Instant.parse(js.getStatus().keyCreatedAt).isBefore(t));
  }

  @Test
  void theFourthEmergencyWithinTenMinutesWaitsWithKeyRequestThrottledAndProceedsAfterTheWindow() {
    applyJwtSecret(JwtSecrets::direct);
    String first = created().getStatus().keyId;
    h.clock.advance(Duration.ofMinutes(11));

    List<String> keys = new ArrayList<>(List.of(first));
    Instant firstEmergency = null;
    for (int i = 0; i < 3; i++) {
      h.clock.advance(Duration.ofMinutes(1));
      Instant requested = h.clock.instant();
      firstEmergency = firstEmergency == null ? requested : firstEmergency;
      invalidateBeforeNow();
      JwtSecret js = awaitKeyMadeAtOrAfter(requested);
      assertThat(js.getStatus().lastRotationReason).isEqualTo("Emergency");
      keys.add(js.getStatus().keyId);
      h.completeRollouts();
    }
    assertThat(keys).doesNotHaveDuplicates();
    assertThat(h.secret(NS, NAME).getMetadata().getAnnotations().get(Labels.RECENT_KEYS).split(",")).hasSize(3);

    // The fourth: held, the compromised key stays until the window lets a new one be made.
    h.clock.advance(Duration.ofMinutes(1));
    Instant fourth = h.clock.instant();
    invalidateBeforeNow();
    JwtSecret held = h.awaitStatus(NS, NAME, js -> Conditions.find(js.getStatus().conditions, Conditions.READY)
        .map(c -> Conditions.KEY_REQUEST_THROTTLED.equals(c.getReason())).orElse(false));
    Condition ready = Conditions.find(held.getStatus().conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("the next may be made at " + firstEmergency.plus(Duration.ofMinutes(10)))
        .endsWith("in 7m");
    assertThat(held.getStatus().keyId).isEqualTo(keys.get(3));
    assertThat(h.eventReasons(NS, NAME)).containsOnlyOnce("KeyRequestThrottled");

    // Looking again inside the window changes nothing; once it has passed, the emergency runs.
    h.clock.advance(Duration.ofMinutes(6));
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(h.get(NS, NAME).getStatus().keyId).isEqualTo(keys.get(3));
    h.clock.advance(Duration.ofMinutes(1));
    h.poke(NS, NAME);
    JwtSecret after = awaitKeyMadeAtOrAfter(fourth);
    assertThat(after.getStatus().keyId).isNotIn(keys);
    assertThat(Conditions.isTrue(after.getStatus().conditions, Conditions.READY)).isTrue();
    assertThat(h.eventReasons(NS, NAME)).containsOnlyOnce("KeyRequestThrottled");
  }

  @Test
  void deletingTheSecretAgainAndAgainIsThrottledToo() {
    applyJwtSecret(JwtSecrets::direct);
    String first = created().getStatus().keyId;
    List<String> keys = new ArrayList<>(List.of(first));
    // Two re-creations: with the first key, three keys within ten minutes.
    for (int i = 0; i < 2; i++) {
      h.clock.advance(Duration.ofMinutes(1));
      Instant deleted = h.clock.instant();
      h.client.secrets().inNamespace(NS).withName(NAME).delete();
      JwtSecret js = awaitKeyMadeAtOrAfter(deleted);
      assertThat(js.getStatus().lastRotationReason).isEqualTo("SecretDeleted");
      keys.add(js.getStatus().keyId);
    }
    // The third deletion takes the Secret's record with it; the operator's own record still counts.
    h.clock.advance(Duration.ofMinutes(1));
    h.client.secrets().inNamespace(NS).withName(NAME).delete();
    JwtSecret held = h.awaitStatus(NS, NAME, js -> Conditions.find(js.getStatus().conditions, Conditions.READY)
        .map(c -> Conditions.KEY_REQUEST_THROTTLED.equals(c.getReason())).orElse(false));
    assertThat(Conditions.find(held.getStatus().conditions, Conditions.READY).orElseThrow().getMessage()).endsWith("in 7m");
    assertThat(h.secret(NS, NAME)).isNull();

    h.clock.advance(Duration.ofMinutes(7));
    h.poke(NS, NAME);
    JwtSecret after = h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null && !keys.contains(js.getStatus().keyId));
    assertThat(h.secret(NS, NAME)).isNotNull();
    assertThat(Conditions.isTrue(after.getStatus().conditions, Conditions.READY)).isTrue();
  }
}
