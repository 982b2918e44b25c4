package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Secrets;
import io.photoapp.jwt.testing.StatusHistory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secrets the operator did not make: conflicts, adoption, and what does not count as ownership. */
class AdoptionAndConflictTest extends OperatorScenario {
  static final KeyGenerator KEYS = new KeyGenerator();

  @Test
  void anExistingSecretWithoutTheLabelIsAConflictAndStaysUntouched() {
    String theirs = randomKey();
    leaks.remember(theirs);
    Secret before = create(foreign("app").data(Map.of("jwt-secret-key", theirs, "DATABASE_URL", "postgres://db/photoapp")));
    apply(JwtSecrets.named("app").production());
    JwtSecret js = awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_CONFLICT);
    assertThat(conditionOf(js, Conditions.READY).getMessage()).contains("app").contains("adopt: true");
    assertThat(js.getStatus().keyId).isNull();
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("app")).isEqualTo(before);
    assertThat(events("app", "Warning", "SecretConflict")).singleElement();
  }

  @Test
  void adoptionKeepsACompliantKeyAndTheSecretsLabelsAndAnnotations() throws Exception {
    String theirs = randomKey();
    leaks.remember(theirs);
    create(foreign("app").data(Map.of("jwt-secret-key", theirs, "jwt-access-token-expire-minutes", "15"))
        .label("team", "photos").annotate("note", "made by hand"));
    apply(JwtSecrets.named("app").production().adopt());
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.ADOPTED);
    String keyId = KeyIds.of(KeyValue.of(theirs));
    assertThat(js.getStatus().keyId).isEqualTo(keyId);
    assertThat(js.getStatus().lastRotationReason).isEqualTo("Adopted");
    assertThat(js.getStatus().rotationCount).isZero();
    assertThat(conditionOf(js, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");

    Secret s = secret("app");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(theirs);
    assertThat(OperatorHarness.data(s, "jwt-algorithm")).isEqualTo("HS256");
    JWK jwk = JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json")).getKeys().get(0);
    assertThat(jwk.getKeyID()).isEqualTo(keyId);
    assertThat(s.getMetadata().getLabels()).containsEntry("team", "photos").containsEntry("jwt.photoapp.io/managed", "true");
    assertThat(s.getMetadata().getAnnotations()).containsEntry("note", "made by hand")
        .containsEntry("jwt.photoapp.io/owner", ns + "/app")
        .containsEntry("jwt.photoapp.io/owner-uid", js.getMetadata().getUid())
        .containsEntry("jwt.photoapp.io/key-id", keyId)
        .containsEntry("jwt.photoapp.io/rotation-reason", "Adopted")
        .containsEntry("jwt.photoapp.io/rotation-count", "0")
        .containsEntry("jwt.photoapp.io/adopted", "true")
        .containsKey("jwt.photoapp.io/key-created-at");
    assertThat(events("app", "Normal", "Adopted")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(keyId));
    assertThat(events("app", "Warning", "ExternalChange")).isEmpty();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({
      "password123, development, weak-key",
      "GENERATE_UNIQUE_64_CHAR_SECRET_FOR_PRODUCTION, production, weak-key",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, production, low-entropy"})
  void anAdoptedWeakKeyIsNeverReadyAndIsReplacedEntirely(String weak, String environment, String rule) {
    leaks.remember(weak);
    create(foreign("app").data("jwt-secret-key", weak));
    String weakId = KeyIds.of(KeyValue.of(weak));
    JwtSecret js;
    try (StatusHistory history = StatusHistory.watch(h.client, ns, "app")) {
      apply(JwtSecrets.named("app").environment(Environment.parse(environment).orElseThrow()).adopt());
      js = awaitStatus("app", r -> r.getStatus().keyId != null && !weakId.equals(r.getStatus().keyId)
          && "True".equals(conditionOf(r, Conditions.READY).getStatus()));
      h.pokeAndAwaitReconcile(ns, "app");
      for (JwtSecretStatus status : history.statuses()) {
        if (weakId.equals(status.keyId)) {
          assertThat(Conditions.isTrue(status.conditions, Conditions.READY)).as("Ready with the weak key").isFalse();
        }
      }
    }
    assertThat(js.getStatus().lastRotationReason).isEqualTo("PolicyViolation");
    Secret s = secret("app");
    String replacement = OperatorHarness.data(s, "jwt-secret-key");
    assertThat(replacement).isNotEqualTo(weak).hasSize(64);
    assertThat(KeyIds.of(KeyValue.of(replacement))).isEqualTo(js.getStatus().keyId);
    assertThat(s.getData()).doesNotContainKeys("jwt-secret-key-previous", "jwt-secret-key-next");
    assertThat(everyValueIn(s).stream().anyMatch(v -> v.contains(weak))).as("the weak key anywhere in the Secret").isFalse();
    assertThat(events("app", "Warning", "EmergencyRotation")).isNotEmpty();
    // Why the key was replaced: the rule it broke, in a Warning a person sees.
    assertThat(events("app", "Warning", "PolicyViolation")).anySatisfy(e ->
        assertThat(e.getMessage()).contains(rule));
  }

  @Test
  void adoptionIsRefusedForAnImmutableSecret() {
    String theirs = randomKey();
    leaks.remember(theirs);
    Secret before = create(foreign("app").data("jwt-secret-key", theirs).immutable());
    apply(JwtSecrets.named("app").production().adopt());
    JwtSecret js = awaitCondition("app", Conditions.READY, "False", Conditions.ADOPTION_REFUSED);
    assertThat(conditionOf(js, Conditions.READY).getMessage()).contains("immutable");
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("app")).isEqualTo(before);
  }

  @Test
  void adoptionIsRefusedForASecretControlledBySomethingElse() {
    String theirs = randomKey();
    leaks.remember(theirs);
    Secret before = create(foreign("app").data("jwt-secret-key", theirs)
        .controlledBy("bitnami.com/v1alpha1", "SealedSecret", "app", "4a8c7d6e-0000-4000-8000-000000000001"));
    apply(JwtSecrets.named("app").production().adopt());
    JwtSecret js = awaitCondition("app", Conditions.READY, "False", Conditions.ADOPTION_REFUSED);
    assertThat(conditionOf(js, Conditions.READY).getMessage()).contains("SealedSecret app").contains("no-owner-references");
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("app")).isEqualTo(before);
  }

  @Test
  void aSecondJwtSecretNamingTheSameSecretIsAConflict() {
    apply(JwtSecrets.named("first").production().secretName("shared"));
    awaitCondition("first", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret before = secret("shared");
    apply(JwtSecrets.named("second").production().secretName("shared").adopt());
    JwtSecret second = awaitCondition("second", Conditions.READY, "False", Conditions.SECRET_CONFLICT);
    assertThat(conditionOf(second, Conditions.READY).getMessage()).contains("shared").doesNotContain("first");
    h.pokeAndAwaitReconcile(ns, "second");
    h.pokeAndAwaitReconcile(ns, "first");
    assertThat(secret("shared")).isEqualTo(before);
    assertThat(conditionOf(h.get(ns, "first"), Conditions.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void twoJwtSecretsRacingForOneSecretEndWithOneOwnerAndOneConflict() {
    for (String name : new String[] {"first", "second"}) {
      apply(JwtSecrets.named(name).production().secretName("shared"));
    }
    JwtSecret first = awaitStatus("first", r -> condition(r, Conditions.READY).isPresent());
    JwtSecret second = awaitStatus("second", r -> condition(r, Conditions.READY).isPresent());
    List<JwtSecret> both = List.of(first, second);
    assertThat(both).extracting(r -> conditionOf(r, Conditions.READY).getReason())
        .containsExactlyInAnyOrder(Conditions.SECRET_READY, Conditions.SECRET_CONFLICT);
    JwtSecret owner = both.stream().filter(r -> Conditions.isTrue(r.getStatus().conditions, Conditions.READY))
        .findFirst().orElseThrow();
    Secret s = secret("shared");
    assertThat(s.getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/owner-uid", owner.getMetadata().getUid())
        .containsEntry("jwt.photoapp.io/key-id", owner.getStatus().keyId);
    assertThat(KeyIds.of(KeyValue.of(OperatorHarness.data(s, "jwt-secret-key")))).isEqualTo(owner.getStatus().keyId);
  }

  @ParameterizedTest(name = "adopt: {0}")
  @CsvSource({"false", "true"})
  void copyingTheLabelAndOwnerAnnotationDoesNotHandASecretOver(boolean adopt) {
    // Another JwtSecret's marks (a copy): a restore takes over only what names this JwtSecret.
    String theirs = randomKey();
    leaks.remember(theirs);
    Secret before = create(foreign("target").data("jwt-secret-key", theirs)
        .label("jwt.photoapp.io/managed", "true")
        .annotate("jwt.photoapp.io/owner", ns + "/someone-else")
        .annotate("jwt.photoapp.io/owner-uid", "7d1f1b7e-0000-4000-8000-00000000abcd"));
    apply(JwtSecrets.named("app").production().secretName("target").adopt(adopt));
    awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_CONFLICT);
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("target")).isEqualTo(before);
  }

  @Test
  void aCopyOfTheSecretWithAllItsMetadataDoesNotStallTheJwtSecret() {
    apply(JwtSecrets.named("app").production());
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret original = secret("app");
    long reconciles = h.successfulReconciles(ns, "app");
    // What "kubectl get secret app -o yaml | sed s/app/app-backup/ | kubectl apply" makes.
    Secret copy = create(Secrets.copyOf(original).renamed("app-backup"));
    // The copy names the JwtSecret as its owner, so the operator looks once it has the copy in its cache.
    org.awaitility.Awaitility.await().until(() -> h.successfulReconciles(ns, "app") > reconciles);
    h.pokeAndAwaitReconcile(ns, "app");
    JwtSecret after = h.get(ns, "app");
    assertThat(conditionOf(after, Conditions.READY).getReason()).isEqualTo(Conditions.SECRET_READY);
    assertThat(after.getStatus().keyId).isEqualTo(js.getStatus().keyId);
    assertThat(secret("app")).isEqualTo(original);
    assertThat(secret("app-backup")).isEqualTo(copy);
  }

  @Test
  void renamingTheSecretAfterItExistsIsRefusedAndWritesNothing() {
    apply(JwtSecrets.named("app").production());
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret before = secret("app");
    h.edit(ns, "app", r -> {
      r.getSpec().secret = new io.photoapp.jwt.api.SecretSpec();
      r.getSpec().secret.name = "renamed";
      return r;
    });
    JwtSecret refused = awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_SPEC_IMMUTABLE);
    assertThat(conditionOf(refused, Conditions.READY).getMessage()).contains("spec.secret.name").contains("app");
    assertThat(refused.getStatus().observedGeneration).isEqualTo(refused.getMetadata().getGeneration());
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("renamed")).isNull();
    assertThat(secret("app")).isEqualTo(before);
    assertThat(events("app", "Warning", "SecretSpecImmutable")).isNotEmpty();

    h.edit(ns, "app", r -> {
      r.getSpec().secret = null;
      return r;
    });
    JwtSecret back = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(back.getStatus().keyId).isEqualTo(js.getStatus().keyId);
  }

  @Test
  void renamingTheDataKeysAfterTheSecretExistsIsRefusedAndWritesNothing() {
    apply(JwtSecrets.named("app").production());
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret before = secret("app");
    h.edit(ns, "app", r -> {
      r.getSpec().secret = new io.photoapp.jwt.api.SecretSpec();
      r.getSpec().secret.key = "JWT_SECRET_KEY";
      return r;
    });
    JwtSecret refused = awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_SPEC_IMMUTABLE);
    assertThat(conditionOf(refused, Conditions.READY).getMessage()).contains("key names");
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("app")).isEqualTo(before);
  }

  /** An Opaque Secret made by hand, in this test's namespace. */
  private Secrets foreign(String name) {
    return Secrets.named(name).in(ns).opaque();
  }

  private static String randomKey() {
    return KEYS.generate(Encoding.URLSAFE, 64).reveal();
  }
}
