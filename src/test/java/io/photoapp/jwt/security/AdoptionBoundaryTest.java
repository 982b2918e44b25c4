package io.photoapp.jwt.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.reconciler.JwtSecretReconciler;
import io.photoapp.jwt.reconciler.Orphans;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * Adoption and deletion are not write access to other Secrets: each test is an exploit a namespace
 * user could run with JwtSecrets alone, and each would have worked on the operator before these rules.
 */
@MockApiServer(harness = Lifecycle.PER_CLASS)
class AdoptionBoundaryTest {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  static final KeyGenerator KEYS = new KeyGenerator();
  static OperatorHarness h;
  LeakGuard leaks;
  String ns;

  @BeforeAll
  static void startOperator(OperatorHarness harness) {
    h = harness;
    h.start();
  }

  @BeforeEach
  void namespace(LeakGuard guard) {
    leaks = guard;
    ns = "adoption-boundary-" + NAMESPACES.incrementAndGet();
    h.namespace(ns, Map.of());
  }

  @Test
  void aCertManagerTlsSecretIsNotAdoptedToReplaceItsPrivateKey() {
    String tlsKey = KEYS.generate(Encoding.URLSAFE, 64).reveal();
    leaks.remember(tlsKey);
    Secret before = create(secret("web-tls", "kubernetes.io/tls", Map.of("tls.crt", "-----BEGIN CERTIFICATE-----", "tls.key", tlsKey),
        b -> b.editMetadata().addToAnnotations("cert-manager.io/certificate-name", "web")
            .addToAnnotations("cert-manager.io/issuer-name", "ca").endMetadata()));
    apply(JwtSecrets.named("steal")
        .development()
        .secretName("web-tls")
        .dataKey("tls.key")
        .adopt()
        .deleteWithOwner()
        .invalidateBefore(h.clock.instant().toString()));
    JwtSecret js = awaitReady("steal", Conditions.ADOPTION_REFUSED);
    assertThat(ready(js).getMessage()).contains("type-opaque").doesNotContain(tlsKey);
    assertThat(warnings("steal", "AdoptionRefused")).isNotEmpty();
    h.pokeAndAwaitReconcile(ns, "steal");
    assertThat(h.secret(ns, "web-tls")).as("the TLS Secret, untouched").isEqualTo(before);
  }

  @Test
  void deletePolicyOnAnAdoptedSecretSetsNoOwnerReferenceAndDeletingTheJwtSecretReleasesIt() {
    String theirs = KEYS.generate(Encoding.URLSAFE, 64).reveal();
    leaks.remember(theirs);
    create(secret("shared-key", "Opaque", Map.of("jwt-secret-key", theirs), b -> b));
    apply(JwtSecrets.named("app").production().secretName("shared-key").adopt().deleteWithOwner());
    awaitReady("app", Conditions.ADOPTED);
    Secret adopted = h.secret(ns, "shared-key");
    assertThat(adopted.getMetadata().getOwnerReferences()).as("no ownerReference: the GC must never delete it").isNullOrEmpty();
    assertThat(adopted.getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/adopted", "true");
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(h.secret(ns, "shared-key").getMetadata().getOwnerReferences()).isNullOrEmpty();

    h.deleteAndAwaitGone(ns, "app");
    await().atMost(Duration.ofSeconds(20)).until(() -> !h.secret(ns, "shared-key").getMetadata().getLabels()
        .containsKey("jwt.photoapp.io/managed"));
    Secret released = h.secret(ns, "shared-key");
    assertThat(OperatorHarness.data(released, "jwt-secret-key")).isEqualTo(theirs);
    assertThat(released.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(released.getMetadata().getAnnotations() == null ? Map.of() : released.getMetadata().getAnnotations())
        .doesNotContainKeys("jwt.photoapp.io/adopted", "jwt.photoapp.io/owner-uid");
  }

  @Test
  void aForgedOwnerAnnotationQueuesNoReconcileInAnotherNamespace() {
    String victimNs = ns + "-victim";
    h.namespace(victimNs, Map.of());
    JwtSecret victim = h.apply(JwtSecrets.named("victim").in(victimNs).production());
    h.awaitStatus(victimNs, "victim", js -> Conditions.isTrue(js.getStatus().conditions, Conditions.READY));
    // The victim's own follow-up reconciles (its status write, its Secret's events) end first: the
    // count is read once it has stood still for a second, so that only the forged events could move it.
    java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong(-1);
    await().pollInterval(Duration.ofMillis(100)).during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20))
        .until(() -> {
          long now = h.successfulReconciles(victimNs, "victim");
          return seen.getAndSet(now) == now;
        });
    long reconciles = seen.get();

    // In the attacker's namespace: a Secret that claims the victim as its owner, changed again and again.
    Secret forged = create(secret("forged", "Opaque", Map.of("x", "eA=="), b -> b.editMetadata()
        .addToLabels("jwt.photoapp.io/managed", "true")
        .addToAnnotations("jwt.photoapp.io/owner", victimNs + "/victim")
        .addToAnnotations("jwt.photoapp.io/owner-uid", victim.getMetadata().getUid()).endMetadata()));
    assertThat(JwtSecretReconciler.ownerIdOf(forged)).as("maps to nothing").isEmpty();
    for (int i = 0; i < 5; i++) {
      h.client.secrets().inNamespace(ns).withName("forged").edit(s -> {
        s.getMetadata().getAnnotations().put("attempt", String.valueOf(System.nanoTime()));
        return s;
      });
    }
    // A marker after the forged events: once it is reconciled, the forged ones have been handled too.
    apply(JwtSecrets.named("marker").production());
    h.awaitStatus(ns, "marker", js -> Conditions.isTrue(js.getStatus().conditions, Conditions.READY));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> h.successfulReconciles(victimNs, "victim") == reconciles);
    // The same annotation naming the object's own namespace still maps, there.
    Secret own = new SecretBuilder(forged).editMetadata().addToAnnotations("jwt.photoapp.io/owner", ns + "/victim")
        .endMetadata().build();
    assertThat(JwtSecretReconciler.ownerIdOf(own)).contains(new ResourceID("victim", ns));
  }

  @Test
  void aSecretHoldingOtherDataIsRefusedAndTheMessageListsTheKeys() {
    String theirs = KEYS.generate(Encoding.URLSAFE, 64).reveal();
    leaks.remember(theirs);
    Secret before = create(secret("app", "Opaque", Map.of("jwt-secret-key", theirs,
        "DATABASE_URL", "postgres://photoapp:hunter2@db/photoapp", "REDIS_PASSWORD", "hunter3"), b -> b));
    apply(JwtSecrets.named("app").production().adopt());
    JwtSecret js = awaitReady("app", Conditions.ADOPTION_REFUSED);
    assertThat(ready(js).getMessage()).contains("only-jwt-data-keys").contains("DATABASE_URL, REDIS_PASSWORD")
        .doesNotContain("hunter");
    assertThat(warnings("app", "AdoptionRefused")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("DATABASE_URL").doesNotContain("hunter"));
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(h.secret(ns, "app")).isEqualTo(before);
  }

  @Test
  void aHelmManagedSecretIsRefused() {
    String theirs = KEYS.generate(Encoding.URLSAFE, 64).reveal();
    leaks.remember(theirs);
    Secret before = create(secret("app", "Opaque", Map.of("jwt-secret-key", theirs), b -> b.editMetadata()
        .addToLabels("app.kubernetes.io/managed-by", "Helm")
        .addToAnnotations("meta.helm.sh/release-name", "photoapp")
        .addToAnnotations("meta.helm.sh/release-namespace", ns).endMetadata()));
    apply(JwtSecrets.named("app").production().adopt());
    JwtSecret js = awaitReady("app", Conditions.ADOPTION_REFUSED);
    assertThat(ready(js).getMessage()).contains("no-other-manager").contains("app.kubernetes.io/managed-by");
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(h.secret(ns, "app")).isEqualTo(before);
  }

  @Test
  void theOperatorsMarksForgedOntoATlsSecretHandItOverNeitherAsARestoreNorForRelease() {
    // The orphan check looks at the forged Secret within the test's wait (when it appears, naming an owner not
    // there yet, and again once that owner is gone), not 30 s later.
    Orphans orphans = h.operator().reconciler().orphans().grace(Duration.ofMillis(300));
    try {
      forgedMarksOnATlsSecret(orphans);
    } finally {
      orphans.grace(JwtSecretReconciler.DEFAULT_ORPHAN_GRACE);
    }
  }

  private void forgedMarksOnATlsSecret(Orphans orphans) {
    String tlsKey = KEYS.generate(Encoding.URLSAFE, 64).reveal();
    leaks.remember(tlsKey);
    Secret before = create(secret("web-tls", "kubernetes.io/tls", Map.of("tls.crt", "cert", "tls.key", tlsKey), b -> b.editMetadata()
        .addToLabels("jwt.photoapp.io/managed", "true")
        .addToAnnotations("jwt.photoapp.io/owner", ns + "/steal")
        .addToAnnotations("jwt.photoapp.io/owner-uid", "0dead000-0000-4000-8000-000000000000")
        .addToAnnotations("jwt.photoapp.io/data-keys", "tls.key,p,tls.crt").endMetadata()));
    apply(JwtSecrets.named("steal")
        .development()
        .secretName("web-tls")
        .dataKey("tls.key")
        .invalidateBefore(h.clock.instant().toString()));
    awaitReady("steal", Conditions.ADOPTION_REFUSED);
    h.client.resources(JwtSecret.class).inNamespace(ns).withName("steal").delete();
    // With no owner left, the forged Secret is an orphan: the release must not touch it either.
    orphans.resync(Duration.ZERO);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6))
        .until(() -> before.equals(h.secret(ns, "web-tls")));
  }

  @Test
  void aPublicKeysConfigMapOfAnotherToolIsNotAdopted() {
    ConfigMap before = h.client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("app-jwks").withNamespace(ns).addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata()
        .addToData("jwks.json", "{\"keys\":[]}").addToData("settings.yaml", "a: b").build()).create();
    apply(JwtSecrets.named("app").production().adopt().algorithm(Algorithm.ES256));
    JwtSecret js = awaitReady("app", Conditions.ADOPTION_REFUSED);
    assertThat(ready(js).getMessage()).contains("ConfigMap app-jwks");
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(h.client.configMaps().inNamespace(ns).withName("app-jwks").get()).isEqualTo(before);
  }

  /** Creates a JwtSecret in this test's namespace. */
  private JwtSecret apply(JwtSecrets jwtSecret) {
    return h.apply(jwtSecret.in(ns));
  }

  private JwtSecret awaitReady(String name, String reason) {
    return h.awaitStatus(ns, name, js -> Conditions.find(js.getStatus().conditions, Conditions.READY)
        .filter(c -> reason.equals(c.getReason())).isPresent());
  }

  private static Condition ready(JwtSecret js) {
    return Conditions.find(js.getStatus().conditions, Conditions.READY).orElseThrow();
  }

  private List<Event> warnings(String involved, String reason) {
    return h.events(ns).stream().filter(e -> involved.equals(e.getInvolvedObject().getName())
        && "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
  }

  private Secret secret(String name, String type, Map<String, String> data, UnaryOperator<SecretBuilder> customize) {
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().withType(type);
    data.forEach((k, v) -> b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return customize.apply(b).build();
  }

  private Secret create(Secret secret) {
    return h.client.secrets().inNamespace(ns).resource(secret).create();
  }

}
