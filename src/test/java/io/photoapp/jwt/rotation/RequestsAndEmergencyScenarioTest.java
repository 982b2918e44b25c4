package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Requests are times: they rotate once, and an emergency preempts whatever is in progress. */
class RequestsAndEmergencyScenarioTest extends RotationScenarios {

  @Test
  void directRotationSkipsPublishing() {
    applyJwtSecret(JwtSecrets::direct);
    String k1 = created().getStatus().keyId;
    JwtSecret switching = step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    assertThat(switching.getStatus().previousKeyId).isEqualTo(k1);
    assertThat(switching.getStatus().lastRotationReason).isEqualTo("Manual");
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(switching.getStatus().keyId + "," + k1);
    step(h::completeRollouts, Phase.Retiring, js -> true);
  }

  @Test
  void aRotateAfterRequestRotatesOnceWhetherAppliedTwiceRevertedOrReplayed() {
    applyJwtSecret(JwtSecrets::direct);
    created();
    h.clock.advance(Duration.ofSeconds(1));
    Instant requested = h.clock.instant();
    step(() -> annotate(Labels.ROTATE_AFTER, requested.toString()), Phase.Switching, js -> true);
    step(h::completeRollouts, Phase.Retiring, js -> true);
    step(() -> h.clock.advance(Duration.ofMinutes(16)), Phase.Idle, js -> js.getStatus().previousKeyId == null);
    h.completeRollouts();
    assertThat(rotations()).isEqualTo(1);

    // The same request again, an older one, and the same time in spec: all satisfied by the key's age.
    annotate(Labels.ROTATE_AFTER, requested.toString());
    annotate(Labels.ROTATE_AFTER, requested.minus(Duration.ofDays(1)).toString());
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"rotation\":{\"rotateAfter\":\"" + requested + "\"}}}");
    h.poke(NS, NAME);
    h.awaitStatus(NS, NAME, js -> js.getStatus().observedGeneration == 2);
    assertThat(rotations()).isEqualTo(1);
    assertThat(h.get(NS, NAME).getStatus().phase).isEqualTo(Phase.Idle);
  }

  @Test
  void anEmergencyDropsEveryKeyAndPreemptsAStagedRotation() {
    applyJwtSecret();
    String k1 = created().getStatus().keyId;
    JwtSecret publishing = step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true);
    String k2 = publishing.getStatus().nextKeyId;

    h.clock.advance(Duration.ofSeconds(5));
    JwtSecret after = step(() -> request(Labels.INVALIDATE_BEFORE), Phase.Idle,
        js -> "Emergency".equals(js.getStatus().lastRotationReason));
    String k3 = after.getStatus().keyId;
    assertThat(k3).isNotIn(k1, k2);
    assertThat(after.getStatus().nextKeyId).isNull();
    assertThat(after.getStatus().previousKeyId).isNull();
    Secret s = h.secret(NS, NAME);
    assertThat(s.getData().get("jwt-secret-key-next")).isNull();
    assertThat(s.getData().get("jwt-secret-key-previous")).isNull();
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(k3);
    assertThat(h.eventReasons(NS, NAME)).contains("EmergencyRotation");

    // Every outstanding token stops verifying once the rollout completes.
    h.completeRollouts();
    h.awaitStatus(NS, NAME, js -> Conditions.isTrue(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE));
    // The pending planned request is satisfied by the emergency key: no further rotation.
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(h.get(NS, NAME).getStatus().keyId).isEqualTo(k3);
  }

  @Test
  void aKeyEditedToAWeakValueIsReplacedThroughTheEmergencyPath() {
    applyJwtSecret();
    String k1 = created().getStatus().keyId;
    h.client.secrets().inNamespace(NS).withName(NAME).edit(s -> {
      s.getData().put("jwt-secret-key", java.util.Base64.getEncoder().encodeToString("password123".getBytes()));
      return s;
    });
    JwtSecret after = h.awaitStatus(NS, NAME, js -> "PolicyViolation".equals(js.getStatus().lastRotationReason));
    assertThat(after.getStatus().keyId).isNotEqualTo(k1);
    assertThat(OperatorHarness.data(h.secret(NS, NAME), "jwt-secret-key")).hasSize(64).isNotEqualTo("password123");
    assertThat(h.secret(NS, NAME).getData().get("jwt-secret-key-previous")).as("a rejected key is never kept").isNull();
    assertThat(h.eventReasons(NS, NAME)).contains("ExternalChange", "EmergencyRotation");
  }

  @Test
  void aDeletedSecretIsRecreatedWithANewKeyAndTheTargetsRolled() {
    applyJwtSecret();
    String k1 = created().getStatus().keyId;
    h.client.secrets().inNamespace(NS).withName(NAME).delete();
    JwtSecret after = h.awaitStatus(NS, NAME, js -> "SecretDeleted".equals(js.getStatus().lastRotationReason));
    assertThat(after.getStatus().keyId).isNotEqualTo(k1);
    assertThat(h.keySetOn(NS, "backend", NAME)).isEqualTo(after.getStatus().keyId);
  }

  @Test
  void downtimePastSeveralDueTimesRotatesOnce() {
    applyJwtSecret(JwtSecrets::direct);
    created();
    h.stopOperator();
    h.clock.advance(Duration.ofDays(100));
    h.start();
    awaitPhase(Phase.Switching, js -> true);
    step(h::completeRollouts, Phase.Retiring, js -> true);
    step(() -> h.clock.advance(Duration.ofMinutes(16)), Phase.Idle, js -> js.getStatus().previousKeyId == null);
    assertThat(rotations()).isEqualTo(1);
    Instant next = Instant.parse(h.get(NS, NAME).getStatus().nextRotationTime);
    assertThat(next).isAfter(h.clock.instant());
  }

  @Test
  void pausedStopsScheduledRotationOnly() {
    applyJwtSecret(js -> js.direct().paused());
    created();
    h.clock.advance(Duration.ofDays(40));
    h.pokeAndAwaitReconcile(NS, NAME);
    h.awaitStatus(NS, NAME, js -> js.getStatus().nextRotationTime == null);
    assertThat(rotations()).isZero();
    step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
  }

  @Test
  void anInvalidSpecStartsNothingButRetirementAndEmergenciesStillRun() {
    applyJwtSecret(JwtSecrets::direct);
    created();
    step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    step(h::completeRollouts, Phase.Retiring, js -> true);
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"rotation\":{\"schedule\":\"every tuesday\"}}}");
    h.awaitStatus(NS, NAME, js -> Conditions.find(js.getStatus().conditions, Conditions.READY)
        .map(c -> Conditions.INVALID_SPEC.equals(c.getReason())).orElse(false));

    // The previous key still leaves when its grace ends.
    JwtSecret retired = step(() -> h.clock.advance(Duration.ofMinutes(16)), Phase.Idle, js -> js.getStatus().previousKeyId == null);
    assertThat(h.secret(NS, NAME).getData()).doesNotContainKey("jwt-secret-key-previous");
    // A planned request does not start a rotation...
    request(Labels.ROTATE_AFTER);
    h.pokeAndAwaitReconcile(NS, NAME);
    h.awaitStatus(NS, NAME, js -> js.getStatus().phase == Phase.Idle);
    assertThat(rotations()).isEqualTo(1);
    // ...but an emergency does.
    JwtSecret after = step(() -> request(Labels.INVALIDATE_BEFORE), Phase.Idle,
        js -> "Emergency".equals(js.getStatus().lastRotationReason));
    assertThat(after.getStatus().keyId).isNotEqualTo(retired.getStatus().keyId);
    assertThat(Conditions.find(after.getStatus().conditions, Conditions.READY).get().getReason()).isEqualTo(Conditions.INVALID_SPEC);
  }
}
