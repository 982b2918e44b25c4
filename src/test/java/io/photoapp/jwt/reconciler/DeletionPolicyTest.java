package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.DeletionPolicy;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What deleting a JwtSecret does to its Secret: Retain leaves a plain working Secret, Delete hands it
 * to the GC. There is no finalizer: the operator releases a Retain Secret once it sees the owner gone.
 */
class DeletionPolicyTest extends OperatorScenario {
  /** An orphan check within the tests' wait, where a test shows what it leaves alone. */
  private static final Duration SHORT_GRACE = Duration.ofMillis(300);

  @Test
  void retainLeavesAPlainSecretWithTheCurrentKey() throws Exception {
    apply(JwtSecrets.named("app").production());
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    String key = key("app", "jwt-secret-key");
    assertThat(h.get(ns, "app").getMetadata().getFinalizers()).as("no finalizer").isNullOrEmpty();

    h.deleteAndAwaitGone(ns, "app");

    Secret s = awaitReleased("app");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(key);
    assertThat(OperatorHarness.data(s, "jwt-algorithm")).isEqualTo("HS256");
    assertThat(JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json")).getKeys()).singleElement()
        .satisfies(k -> assertThat(k.getKeyID()).isEqualTo(js.getStatus().keyId));
    assertNoOperatorMetadata(s);
    assertThat(s.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void retainDuringAStagedRotationRemovesTheNextKeyEverywhere() throws Exception {
    apply(JwtSecrets.named("app").production());
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    String current = key("app", "jwt-secret-key");
    // A planned rotation publishes the next key, then waits out the propagation delay (the clock stands still).
    Instant request = h.clock.instant().plusSeconds(1);
    h.clock.advance(Duration.ofSeconds(1));
    h.edit(ns, "app", r -> {
      r.getSpec().rotation = new io.photoapp.jwt.api.RotationSpec();
      r.getSpec().rotation.rotateAfter = request.toString();
      return r;
    });
    JwtSecret publishing = awaitStatus("app", r -> r.getStatus().nextKeyId != null);
    String next = key("app", "jwt-secret-key-next");
    assertThat(next).isNotNull().isNotEqualTo(current);
    leaks.remember(next);

    h.deleteAndAwaitGone(ns, "app");

    Secret s = awaitReleased("app");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(current);
    assertThat(s.getData()).doesNotContainKey("jwt-secret-key-next");
    assertThat(everyValueIn(s).stream().anyMatch(v -> v.contains(next)))
        .as("the next key never became current: it must be gone entirely").isFalse();
    assertThat(JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json")).getKeys()).extracting(JWK::getKeyID)
        .containsExactly(js.getStatus().keyId).doesNotContain(publishing.getStatus().nextKeyId);
    assertNoOperatorMetadata(s);
  }

  @Test
  void retainRemovesTheNextKeyUnderTheNameItWasWrittenWith() {
    apply(JwtSecrets.named("app").production());
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Instant request = h.clock.instant().plusSeconds(1);
    h.clock.advance(Duration.ofSeconds(1));
    h.edit(ns, "app", r -> {
      r.getSpec().rotation = new io.photoapp.jwt.api.RotationSpec();
      r.getSpec().rotation.rotateAfter = request.toString();
      return r;
    });
    awaitStatus("app", r -> r.getStatus().nextKeyId != null);
    String next = key("app", "jwt-secret-key-next");
    leaks.remember(next);
    // A refused rename of the next key's data key, then the deletion.
    h.edit(ns, "app", r -> {
      r.getSpec().secret = new io.photoapp.jwt.api.SecretSpec();
      r.getSpec().secret.nextKey = "upcoming";
      return r;
    });
    awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_SPEC_IMMUTABLE);

    h.deleteAndAwaitGone(ns, "app");
    Secret s = awaitReleased("app");
    assertThat(s.getData()).doesNotContainKeys("jwt-secret-key-next", "upcoming");
    assertThat(everyValueIn(s).stream().anyMatch(v -> v.contains(next))).as("the next key anywhere").isFalse();
    assertNoOperatorMetadata(s);
  }

  @Test
  void deleteGivesTheSecretAControllerReferenceAndLeavesItToTheGarbageCollector() {
    JwtSecret created = apply(JwtSecrets.named("app").production().deleteWithOwner());
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(secret("app").getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getApiVersion()).isEqualTo("jwt.photoapp.io/v1alpha1");
      assertThat(ref.getKind()).isEqualTo("JwtSecret");
      assertThat(ref.getName()).isEqualTo("app");
      assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
      assertThat(ref.getController()).isTrue();
    });
    Secret before = secret("app");

    h.deleteAndAwaitGone(ns, "app");
    // The mock server runs no garbage collector; the reference above is what makes a real one delete it.
    // Nothing releases it meanwhile (a released Secret would lose the reference and outlive its owner): the orphan
    // check looks at it, with a short grace, and leaves it.
    Orphans orphans = h.operator().reconciler().orphans().grace(SHORT_GRACE);
    try {
      orphans.resync(Duration.ZERO);
      org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6))
          .until(() -> secret("app").equals(before));
    } finally {
      orphans.grace(JwtSecretReconciler.DEFAULT_ORPHAN_GRACE);
    }
  }

  @Test
  void switchingToRetainDropsTheOwnerReferenceSoTheSecretSurvives() {
    JwtSecret created = apply(JwtSecrets.named("app").production().deleteWithOwner());
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    String key = key("app", "jwt-secret-key");
    h.edit(ns, "app", r -> {
      r.getSpec().secret.deletionPolicy = DeletionPolicy.Retain;
      return r;
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> ownerReferencesTo(secret("app"), created.getMetadata().getUid()).isEmpty());

    h.deleteAndAwaitGone(ns, "app");
    Secret s = awaitReleased("app");
    assertThat(ownerReferencesTo(s, created.getMetadata().getUid())).isEmpty();
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(key);
    assertNoOperatorMetadata(s);
  }

  @Test
  void aSwitchToRetainTheOperatorNeverSawLeavesTheSecretToTheGarbageCollector() {
    // Without a finalizer the Secret carries the policy: an edit the operator never reconciled (it was
    // down) does not hold the Secret back from the garbage collector, and it is never released (a
    // released Secret loses the reference). The README says to wait for observedGeneration.
    JwtSecret created = apply(JwtSecrets.named("app").production().deleteWithOwner());
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.stopOperator();
    try {
      h.edit(ns, "app", r -> {
        r.getSpec().secret.deletionPolicy = DeletionPolicy.Retain;
        return r;
      });
      h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").delete();
      assertThat(h.get(ns, "app")).as("deleted at once, with the operator down").isNull();
    } finally {
      // The start-up's orphan check looks at the Secret (its owner gone) after a short grace, and leaves it.
      h.start(OperatorConfig.defaults().withMetricsPort(-1), runtime -> runtime.reconciler().orphans().grace(SHORT_GRACE));
    }
    try {
      org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6))
          .until(() -> ownerReferencesTo(secret("app"), created.getMetadata().getUid()).size() == 1);
    } finally {
      h.operator().reconciler().orphans().grace(JwtSecretReconciler.DEFAULT_ORPHAN_GRACE);
    }
  }

  @Test
  void switchingToDeleteAddsTheOwnerReference() {
    JwtSecret created = apply(JwtSecrets.named("app").production());
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.edit(ns, "app", r -> {
      r.getSpec().secret = new io.photoapp.jwt.api.SecretSpec();
      r.getSpec().secret.deletionPolicy = DeletionPolicy.Delete;
      return r;
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> ownerReferencesTo(secret("app"), created.getMetadata().getUid()).size() == 1);
    assertThat(h.get(ns, "app").getStatus().keyId).as("no new key for a metadata change")
        .isEqualTo(js.getStatus().keyId);
  }

  @Test
  void deletingAJwtSecretWhoseRenameWasRefusedReleasesTheSecretItOwns() {
    apply(JwtSecrets.named("app").production());
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    String key = key("app", "jwt-secret-key");
    h.edit(ns, "app", r -> {
      r.getSpec().secret = new io.photoapp.jwt.api.SecretSpec();
      r.getSpec().secret.name = "renamed";
      return r;
    });
    awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_SPEC_IMMUTABLE);

    h.deleteAndAwaitGone(ns, "app");
    // Left labelled, the Secret would read as another JwtSecret's: even adopt: true could not take it over.
    Secret s = awaitReleased("app");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(key);
    assertNoOperatorMetadata(s);
    assertThat(secret("renamed")).isNull();
  }

  @Test
  void deletingAJwtSecretThatNeverOwnedItsSecretLeavesThatSecretAlone() {
    Secret foreign = create(Secrets.named("app").data("jwt-secret-key",
        new io.photoapp.jwt.keys.KeyGenerator().generate(io.photoapp.jwt.api.Encoding.URLSAFE, 64).reveal()));
    apply(JwtSecrets.named("app").production().deleteWithOwner());
    awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_CONFLICT);
    h.deleteAndAwaitGone(ns, "app");
    assertThat(secret("app")).isEqualTo(foreign);
  }

  /** The Secret once the operator has released it (no longer labelled as managed). */
  private Secret awaitReleased(String name) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          Secret s = secret(name);
          return s != null && (s.getMetadata().getLabels() == null
              || !s.getMetadata().getLabels().containsKey("jwt.photoapp.io/managed"));
        });
    return secret(name);
  }

  private static List<OwnerReference> ownerReferencesTo(Secret s, String uid) {
    return s.getMetadata().getOwnerReferences() == null ? List.of()
        : s.getMetadata().getOwnerReferences().stream().filter(r -> uid.equals(r.getUid())).toList();
  }

  /** The label and the annotations are gone; key-created-at may stay, to date the key if it is adopted again. */
  private static void assertNoOperatorMetadata(Secret s) {
    assertThat(s.getMetadata().getLabels() == null ? List.of() : s.getMetadata().getLabels().keySet())
        .noneMatch(k -> k.startsWith("jwt.photoapp.io/"));
    assertThat(s.getMetadata().getAnnotations() == null ? List.of() : s.getMetadata().getAnnotations().keySet())
        .noneMatch(k -> k.startsWith("jwt.photoapp.io/") && !k.equals("jwt.photoapp.io/key-created-at"));
  }
}
