package io.photoapp.jwt.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The Secret cache keeps data only for the Secrets that a cached JwtSecret owns. */
class CachedCopiesTest {
  static JwtSecret jwtSecret(String ns, String name, String uid) {
    JwtSecret js = new JwtSecret();
    js.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(ns).withName(name).withUid(uid).build());
    return js;
  }

  static final JwtSecret APP = jwtSecret("photoapp", "app", "uid-app");
  static final JwtSecret OTHER = jwtSecret("other", "app", "uid-other");
  static final Function<ResourceID, Optional<JwtSecret>> CACHE = id -> Optional.ofNullable(Map.of(
      ResourceID.fromResource(APP), APP, ResourceID.fromResource(OTHER), OTHER).get(id));

  static Secret secret(String ns, String owner, String uid) {
    return new SecretBuilder().withNewMetadata().withNamespace(ns).withName("app").withResourceVersion("7")
        .addToLabels(Labels.MANAGED, Labels.TRUE).addToLabels("team", "x".repeat(60))
        .addToAnnotations(Labels.OWNER, owner).addToAnnotations(Labels.OWNER_UID, uid)
        .addToAnnotations(Labels.KEY_CREATED_AT, "2026-11-28T06:00:00Z").addToAnnotations("notes", "y".repeat(10_000))
        .endMetadata()
        .addToData("jwt-secret-key", Base64.getEncoder().encodeToString(
            "Zt1aQ9wLp0sXr2BqZt1aQ9wLp0sXr2BqZt1aQ9wLp0sXr2BqZt1aQ9wLp0sXr2Bq".getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  void aSecretThatACachedJwtSecretOwnsIsKeptWhole() {
    Secret owned = secret("photoapp", "photoapp/app", "uid-app");
    assertThat(CachedCopies.forCache(owned, CACHE)).isSameAs(owned);
    assertThat(CachedCopies.isPruned(owned)).isFalse();
  }

  @Test
  void forgedOwnersGetAPrunedCopyThatStillMapsToItsOwnerAndKeyId() {
    for (Secret forged : new Secret[] {
        secret("photoapp", "photoapp/app", "uid-forged"), // the right name, a made-up uid
        secret("photoapp", "other/app", "uid-other"), // another namespace's JwtSecret, its real uid
        secret("photoapp", "photoapp/gone", "uid-gone"), // no such JwtSecret
        new SecretBuilder(secret("photoapp", "photoapp/app", "uid-app")).editMetadata().withAnnotations(Map.of()).endMetadata()
            .build()}) {
      Secret copy = CachedCopies.forCache(forged, CACHE);
      assertThat(CachedCopies.isPruned(copy)).isTrue();
      assertThat(copy.getData()).isNull();
      assertThat(copy.getMetadata().getName()).isEqualTo("app");
      assertThat(copy.getMetadata().getResourceVersion()).isEqualTo("7");
      assertThat(copy.getMetadata().getLabels()).containsOnlyKeys(Labels.MANAGED);
      assertThat(copy.getMetadata().getAnnotations() == null ? Map.of() : copy.getMetadata().getAnnotations())
          .doesNotContainKey("notes");
      // The index drops an old version by what it computes from the kept copy: the same entries.
      assertThat(SecretIndexes.currentKeyId(copy)).isEqualTo(SecretIndexes.currentKeyId(forged));
      assertThat(SecretIndexes.ownerUid(copy)).isEqualTo(SecretIndexes.ownerUid(forged));
    }
  }

  @Test
  void aMebibyteValueIsNotDecodedForTheKeyIdIndex() {
    // The watch's next events wait in the heap while the informer handles one: it must be quick.
    Secret bulky = new SecretBuilder(secret("photoapp", "photoapp/gone", "uid-gone"))
        .addToData("jwt-secret-key", Base64.getEncoder().encodeToString(new byte[1024 * 1024])).build();
    assertThat(SecretIndexes.currentKeyId(bulky)).isEmpty();
    assertThat(SecretIndexes.currentKeyId(CachedCopies.forCache(bulky, CACHE))).isEmpty();
  }

  @Test
  void aConfigMapIsKeptWholeOnlyWhenOwned() {
    ConfigMap owned = new ConfigMapBuilder().withNewMetadata().withNamespace("photoapp").withName("app-jwks")
        .addToLabels(Labels.MANAGED, Labels.TRUE).addToAnnotations(Labels.OWNER, "photoapp/app")
        .addToAnnotations(Labels.OWNER_UID, "uid-app").endMetadata().addToData("jwks.json", "{}").build();
    assertThat(CachedCopies.forCache(owned, CACHE)).isSameAs(owned);
    ConfigMap forged = new ConfigMapBuilder(owned).editMetadata().addToAnnotations(Labels.OWNER_UID, "uid-forged").endMetadata()
        .addToData("blob", "z".repeat(100_000)).build();
    ConfigMap copy = CachedCopies.forCache(forged, CACHE);
    assertThat(CachedCopies.isPruned(copy)).isTrue();
    assertThat(copy.getData()).isNull();
  }
}
