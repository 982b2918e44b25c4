package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Secrets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A JwtSecret restored from a backup (Velero, or re-applied from Git) gets a new uid and finds its
 * Secret recording the old one: it takes the Secret over, with no rotation and no conflict.
 */
class RestoreTest extends OperatorScenario {
  static final JwtSecrets MANIFEST = JwtSecrets.named("app").production();

  @Test
  void aVeleroStyleRestoreTakesTheSecretOverWithTheSameKeyAndCount() {
    JwtSecret original = apply(MANIFEST);
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    // One emergency rotation, so that there is a count to keep.
    h.clock.advance(Duration.ofSeconds(1));
    annotate("jwt.photoapp.io/invalidate-before", h.clock.instant().toString());
    JwtSecret rotated = awaitStatus("app", js -> Integer.valueOf(1).equals(js.getStatus().rotationCount));
    Secret backup = secret("app");

    JwtSecret restored = loseAndRestore(backup);

    assertThat(restored.getMetadata().getUid()).isNotEqualTo(original.getMetadata().getUid());
    assertThat(conditionOf(restored, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(restored.getStatus().keyId).isEqualTo(rotated.getStatus().keyId);
    assertThat(restored.getStatus().rotationCount).isEqualTo(1);
    Secret s = secret("app");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(OperatorHarness.data(backup, "jwt-secret-key"));
    assertThat(s.getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/owner-uid", restored.getMetadata().getUid())
        .containsEntry("jwt.photoapp.io/rotation-count", "1");
    assertThat(events("app", "Normal", "Restored")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(rotated.getStatus().keyId));
    // The events of before the loss stay; the restore adds none of its own but Restored.
    assertThat(h.eventReasons(ns, "app")).containsExactlyInAnyOrder("Created", "EmergencyRotation", "Restored");

    // Restored until the spec (or the key) changes, then as any other.
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(conditionOf(h.get(ns, "app"), Conditions.READY).getReason()).isEqualTo(Conditions.RESTORED);
    h.edit(ns, "app", r -> {
      r.getSpec().token = new io.photoapp.jwt.api.TokenSpec();
      r.getSpec().token.accessTokenExpireMinutes = 10;
      return r;
    });
    JwtSecret after = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(after.getStatus().keyId).isEqualTo(rotated.getStatus().keyId);
  }

  @Test
  void aRestoreInTheMiddleOfARotationResumesWhereItStood() {
    apply(MANIFEST);
    JwtSecret ready = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.clock.advance(Duration.ofSeconds(1));
    annotate("jwt.photoapp.io/rotate-after", h.clock.instant().toString());
    JwtSecret publishing = awaitStatus("app", js -> js.getStatus().phase == Phase.Publishing);
    String next = publishing.getStatus().nextKeyId;
    leaks.remember(key("app", "jwt-secret-key-next"));
    Secret backup = secret("app");

    JwtSecret restored = loseAndRestore(backup);
    assertThat(restored.getStatus().phase).isEqualTo(Phase.Publishing);
    assertThat(restored.getStatus().keyId).isEqualTo(ready.getStatus().keyId);
    assertThat(restored.getStatus().nextKeyId).as("the same next key, not a new one").isEqualTo(next);

    // Past the propagation delay, the rotation switches to the key it had published.
    h.clock.advance(Duration.ofMinutes(3));
    h.poke(ns, "app");
    JwtSecret switched = awaitStatus("app", js -> next.equals(js.getStatus().keyId));
    assertThat(switched.getStatus().previousKeyId).isEqualTo(ready.getStatus().keyId);
    assertThat(switched.getStatus().rotationCount).isEqualTo(1);
  }

  @Test
  void aSecretWhoseRecordedOwnerStillLivesStaysAConflict() {
    apply(MANIFEST);
    JwtSecret owner = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    // A copy of app's Secret, edited to name "second" while keeping app's (live) uid.
    Secret copy = create(Secrets.copyOf(secret("app")).renamed("shared").annotate("jwt.photoapp.io/owner", ns + "/second"));
    assertThat(copy.getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/owner-uid", owner.getMetadata().getUid());
    apply(JwtSecrets.named("second").production().secretName("shared").adopt());
    awaitCondition("second", Conditions.READY, "False", Conditions.SECRET_CONFLICT);
    h.pokeAndAwaitReconcile(ns, "second");
    assertThat(secret("shared")).isEqualTo(copy);
    assertThat(events("second", "Normal", "Restored")).isEmpty();
  }

  @Test
  void aRestoredDeleteSecretReferencesTheNewUid() {
    JwtSecret original = apply(JwtSecrets.named("app").production().deleteWithOwner());
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret backup = secret("app");
    assertThat(backup.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo(original.getMetadata().getUid()));

    JwtSecret restored = loseAndRestore(backup, JwtSecrets.named("app").production().deleteWithOwner());
    assertThat(secret("app").getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo(restored.getMetadata().getUid()));
  }

  @Test
  void aRetainedSecretIsAdoptedBackByTheJwtSecretReappliedFromGit() {
    apply(MANIFEST);
    JwtSecret first = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.deleteAndAwaitGone(ns, "app");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> secret("app").getMetadata().getLabels() == null
        || !secret("app").getMetadata().getLabels().containsKey("jwt.photoapp.io/managed"));

    apply(JwtSecrets.named("app").production().adopt());
    JwtSecret again = awaitCondition("app", Conditions.READY, "True", Conditions.ADOPTED);
    assertThat(again.getStatus().keyId).isEqualTo(first.getStatus().keyId);
    assertThat(events("app", "Normal", "Created")).as("only the first key was created").hasSize(1);
  }

  @Test
  void anOperatorStartingBetweenTheRestoredSecretAndItsJwtSecretStillHandsTheSecretOver() {
    apply(MANIFEST);
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.clock.advance(Duration.ofSeconds(1));
    annotate("jwt.photoapp.io/invalidate-before", h.clock.instant().toString());
    JwtSecret rotated = awaitStatus("app", js -> Integer.valueOf(1).equals(js.getStatus().rotationCount));
    Secret backup = secret("app");
    // A whole-cluster restore: the Secret is back, the operator (re)starts, its JwtSecret is not back yet.
    h.stopOperator();
    try {
      h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").delete();
      h.client.secrets().inNamespace(ns).withName("app").delete();
      org.awaitility.Awaitility.await().until(() -> h.get(ns, "app") == null && secret("app") == null);
      create(Secrets.copyOf(backup));
    } finally {
      h.start();
    }
    // The start-up check waits the grace, as for a Secret that appears: the Secret stays managed.
    org.awaitility.Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> "true".equals(secret("app").getMetadata().getLabels().get("jwt.photoapp.io/managed")));

    apply(MANIFEST);
    JwtSecret restored = awaitCondition("app", Conditions.READY, "True", Conditions.RESTORED);
    assertThat(restored.getStatus().keyId).isEqualTo(rotated.getStatus().keyId);
    assertThat(restored.getStatus().rotationCount).isEqualTo(1);
    assertThat(OperatorHarness.data(secret("app"), "jwt-secret-key")).isEqualTo(OperatorHarness.data(backup, "jwt-secret-key"));
  }

  private JwtSecret loseAndRestore(Secret backup) {
    return loseAndRestore(backup, MANIFEST);
  }

  /**
   * The namespace's objects are lost while the operator is down, then restored as Velero does: the
   * Secret first, then the JwtSecret, both with new uids, the JwtSecret without status.
   */
  private JwtSecret loseAndRestore(Secret backup, JwtSecrets manifest) {
    h.stopOperator();
    try {
      h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").delete();
      h.client.secrets().inNamespace(ns).withName("app").delete();
      org.awaitility.Awaitility.await().until(() -> h.get(ns, "app") == null && secret("app") == null);
    } finally {
      h.start();
    }
    create(Secrets.copyOf(backup));
    apply(manifest);
    return awaitCondition("app", Conditions.READY, "True", Conditions.RESTORED);
  }

  private void annotate(String annotation, String value) {
    h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + value + "\"}}}");
  }
}
