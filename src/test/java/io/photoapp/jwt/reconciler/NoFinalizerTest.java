package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * No finalizer: deleting a JwtSecret (or its namespace) never waits for the operator. Retain keeps
 * its meaning because the operator releases the Secret once it sees the owner gone, at start-up too,
 * and the finalizer of earlier versions is removed.
 */
class NoFinalizerTest extends OperatorScenario {
  /** A short wait for objects that appear without their JwtSecret, on the operator running now. */
  static void shortGrace() {
    h.operator().reconciler().orphans().grace(Duration.ofSeconds(2));
  }

  static final JwtSecrets MANIFEST = JwtSecrets.named("app").production();

  @Test
  void aJwtSecretDeletedWhileTheOperatorWasDownHasItsSecretReleasedAtStartUp() {
    apply(MANIFEST);
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    String key = key("app", "jwt-secret-key");
    h.stopOperator();
    try {
      h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").delete();
      assertThat(h.get(ns, "app")).as("nothing holds the deletion while the operator is down").isNull();
      assertThat(secret("app").getMetadata().getLabels()).containsEntry("jwt.photoapp.io/managed", "true");
    } finally {
      // Checked at start-up after the grace (a restore may be bringing the JwtSecret back), here a short one.
      h.start(io.photoapp.jwt.ops.OperatorConfig.defaults().withMetricsPort(-1),
          runtime -> runtime.reconciler().orphans().grace(Duration.ofSeconds(2)));
    }
    Secret released = awaitReleased("app");
    assertThat(OperatorHarness.data(released, "jwt-secret-key")).isEqualTo(key);
    assertThat(released.getMetadata().getAnnotations() == null ? Map.of() : released.getMetadata().getAnnotations())
        .doesNotContainKeys("jwt.photoapp.io/owner", "jwt.photoapp.io/owner-uid", "jwt.photoapp.io/phase");
  }

  @Test
  void aSecretDeletedWhileItsNamespaceIsTerminatingIsNotMadeAgain() {
    // The namespace controller may delete the Secret before the JwtSecret. On a real API server a create
    // there is refused (403), and each retry made a new key until the key request throttle stopped it.
    apply(MANIFEST);
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.client.namespaces().withName(ns).edit(n -> {
      n.setStatus(new NamespaceStatusBuilder().withPhase("Terminating").build());
      return n;
    });
    // Let the operator's namespace cache see the phase before the Secret goes.
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.operator().reconciler().caches().namespaceLabels.terminating(ns));

    h.client.secrets().inNamespace(ns).withName("app").delete();

    Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
        .until(() -> h.client.secrets().inNamespace(ns).withName("app").get() == null);
  }

  @Test
  void theFinalizerOfEarlierVersionsIsRemovedAndOthersAreKept() {
    h.stopOperator();
    try {
      // As an earlier version left it: its finalizer, and another controller's.
      h.apply(JwtSecrets.named("app")
          .in(ns)
          .finalizers("jwtsecrets.jwt.photoapp.io/finalizer", "example.com/keep")
          .production());
    } finally {
      h.start();
    }
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> List.of("example.com/keep").equals(h.get(ns, "app").getMetadata().getFinalizers()));
  }

  @Test
  void aJwtSecretStuckOnTheOldFinalizerIsLetGoAndItsSecretReleased() {
    apply(MANIFEST);
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.stopOperator();
    try {
      h.edit(ns, "app", r -> {
        r.getMetadata().setFinalizers(List.of(JwtSecretReconciler.LEGACY_FINALIZER));
        return r;
      });
      h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").delete();
      assertThat(h.get(ns, "app").getMetadata().getDeletionTimestamp()).as("held by the old finalizer").isNotNull();
    } finally {
      h.start();
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.get(ns, "app") == null);
    awaitReleased("app");
  }

  @Test
  void aNewJwtSecretGetsNoFinalizer() {
    apply(MANIFEST);
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(js.getMetadata().getFinalizers()).isNullOrEmpty();
  }

  @Test
  void aManagedSecretThatAppearsWithoutItsJwtSecretIsReleasedAfterTheGrace() {
    apply(MANIFEST);
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret backup = secret("app");
    h.stopOperator();
    try {
      h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").delete();
      h.client.secrets().inNamespace(ns).withName("app").delete();
    } finally {
      h.start();
      shortGrace();
    }
    // A restore that brings the Secret and never its JwtSecret.
    h.client.secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder(backup).editMetadata()
        .withResourceVersion(null).withUid(null).withCreationTimestamp(null).endMetadata().build()).create();
    Secret released = awaitReleased("app");
    assertThat(OperatorHarness.data(released, "jwt-secret-key")).isEqualTo(OperatorHarness.data(backup, "jwt-secret-key"));
  }

  @Test
  void aSecretRestoredShortlyBeforeItsJwtSecretIsTakenOverNotReleased() {
    apply(MANIFEST);
    JwtSecret first = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret backup = secret("app");
    h.stopOperator();
    try {
      h.client.resources(JwtSecret.class).inNamespace(ns).withName("app").delete();
      h.client.secrets().inNamespace(ns).withName("app").delete();
    } finally {
      h.start();
      // Long enough that a stalled test thread does not outlast it between the Secret and its JwtSecret.
      h.operator().reconciler().orphans().grace(Duration.ofSeconds(5));
    }
    h.client.secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder(backup).editMetadata()
        .withResourceVersion(null).withUid(null).withCreationTimestamp(null).endMetadata().build()).create();
    // Within the grace, as Velero restores custom resources after Secrets.
    Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    apply(MANIFEST);
    JwtSecret restored = awaitCondition("app", Conditions.READY, "True", Conditions.RESTORED);
    assertThat(restored.getStatus().keyId).isEqualTo(first.getStatus().keyId);
    // Past the grace, the orphan check finds its owner and leaves it.
    Awaitility.await().pollDelay(Duration.ofSeconds(6)).until(() -> true);
    assertThat(secret("app").getMetadata().getAnnotations())
        .containsEntry("jwt.photoapp.io/owner-uid", restored.getMetadata().getUid());
  }

  private Secret awaitReleased(String name) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      Secret s = secret(name);
      return s != null && (s.getMetadata().getLabels() == null
          || !s.getMetadata().getLabels().containsKey("jwt.photoapp.io/managed"));
    });
    return secret(name);
  }
}
