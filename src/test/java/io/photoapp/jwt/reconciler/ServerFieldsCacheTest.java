package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.api.ServerFields;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Stores;
import io.photoapp.jwt.testing.Workloads;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real API server adds managedFields to every object, and {@code kubectl apply} a copy of the whole
 * object as an annotation (issue 19: 26 KiB per JwtSecret there against 16 KiB on the mock server,
 * which adds neither). The caches keep no managedFields of any kind, and no last-applied copy of a
 * JwtSecret or a store; the server keeps both, since every write is a patch of named fields.
 */
@MockApiServer
class ServerFieldsCacheTest {
  private static final String NS = "photoapp";
  private static final String APPLIED = "{\"apiVersion\":\"jwt.photoapp.io/v1alpha1\",\"kind\":\"JwtSecret\",\"metadata\":"
      + "{\"name\":\"app\",\"namespace\":\"photoapp\"},\"spec\":{\"environment\":\"development\"}}";
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
  }

  /** managedFields as kube-apiserver writes them: a manager per writer, each with the fields it set. */
  static List<ManagedFieldsEntry> managedFields() {
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put(".", Map.of());
    annotations.put("f:" + ServerFields.LAST_APPLIED, Map.of());
    return List.of(new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply").withOperation("Update")
            .withApiVersion("jwt.photoapp.io/v1alpha1").withTime("2026-11-28T06:00:00Z").withFieldsType("FieldsV1")
            .withNewFieldsV1().addToAdditionalProperties("f:metadata", Map.of("f:annotations", annotations))
            .addToAdditionalProperties("f:spec", Map.of(".", Map.of(), "f:environment", Map.of())).endFieldsV1().build(),
        new ManagedFieldsEntryBuilder().withManager("jwt-secret-operator").withOperation("Update").withSubresource("status")
            .withApiVersion("jwt.photoapp.io/v1alpha1").withTime("2026-11-28T06:00:01Z").withFieldsType("FieldsV1")
            .withNewFieldsV1().addToAdditionalProperties("f:status", Map.of(".", Map.of(), "f:keyId", Map.of(),
                "f:phase", Map.of())).endFieldsV1().build());
  }

  /** The object as a generic resource (its kind's class would drop the fields), with managedFields and last-applied. */
  static GenericKubernetesResource asApplied(HasMetadata object) {
    GenericKubernetesResource applied = Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class);
    applied.getMetadata().setManagedFields(managedFields());
    Map<String, String> annotations = new LinkedHashMap<>(applied.getMetadata().getAnnotations() == null ? Map.of()
        : applied.getMetadata().getAnnotations());
    annotations.put(ServerFields.LAST_APPLIED, APPLIED);
    annotations.put("team.example.com/owner", "photo-team");
    applied.getMetadata().setAnnotations(annotations);
    return applied;
  }

  GenericKubernetesResource onServer(String apiVersion, String kind, String namespace, String name) {
    return h.client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
  }

  /** Adds managedFields on the server to an object the operator made (the mock server adds none). */
  void addManagedFields(String apiVersion, String kind, String name) {
    h.client.genericKubernetesResources(apiVersion, kind).inNamespace(NS).withName(name).edit(o -> {
      o.getMetadata().setManagedFields(managedFields());
      return o;
    });
  }

  static boolean ready(JwtSecret js) {
    return js.getStatus() != null && Conditions.isTrue(js.getStatus().conditions, Conditions.READY);
  }

  static <R extends HasMetadata> R awaitWithoutManagedFields(Supplier<Optional<R>> cached, String what) {
    return await(what).atMost(Duration.ofSeconds(20)).until(() -> cached.get().orElse(null), o -> o != null
        && (o.getMetadata().getManagedFields() == null || o.getMetadata().getManagedFields().isEmpty()));
  }

  @Test
  void aJwtSecretAppliedWithManagedFieldsAndLastAppliedIsCachedWithoutThemAndKeepsThemOnTheServer() {
    h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS)
        .withManagedFields(managedFields()).addToAnnotations(ServerFields.LAST_APPLIED, "{\"kind\":\"Namespace\"}")
        .addToLabels("team", "photo").endMetadata().build()).create();
    h.create(Workloads.deployment("api").in(NS).optedIn());
    addManagedFields("apps/v1", "Deployment", "api");
    JwtSecret built = JwtSecrets.named("app").in(NS).development().label("app", "photo")
        // The finalizer of earlier versions: its removal is the one patch of a JwtSecret's metadata.
        .finalizers(JwtSecretReconciler.LEGACY_FINALIZER).restarts(JwtSecrets.Targets.deployment("api")).build();
    h.client.genericKubernetesResources("jwt.photoapp.io/v1alpha1", "JwtSecret").inNamespace(NS).resource(asApplied(built))
        .create();
    h.start();
    h.awaitStatus(NS, "app", ServerFieldsCacheTest::ready);
    addManagedFields("v1", "Secret", "app");

    Caches caches = h.operator().reconciler().caches();
    ResourceID app = new ResourceID("app", NS);
    JwtSecret cached = await().atMost(Duration.ofSeconds(20)).until(() -> caches.primaries.get(app).orElse(null),
        js -> js != null && js.getStatus() != null && js.getMetadata().getFinalizers().isEmpty());
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getMetadata().getAnnotations()).doesNotContainKey(ServerFields.LAST_APPLIED)
        .containsEntry("team.example.com/owner", "photo-team");
    assertThat(cached.getMetadata().getResourceVersion()).as("optimistic locking reads it").isNotBlank();
    awaitWithoutManagedFields(() -> caches.secretSource.get(app), "the Secret");
    assertThat(caches.secretSource.get(app).orElseThrow().getData()).as("an owned Secret is cached whole").isNotEmpty();
    awaitWithoutManagedFields(() -> caches.workloads.get(TargetKind.Deployment).get(new ResourceID("api", NS))
        .map(HasMetadata.class::cast), "the Deployment");
    var namespace = caches.namespaceLabels.getSecondaryResources(cached).iterator().next();
    assertThat(namespace.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(namespace.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(namespace.getMetadata().getLabels()).containsEntry("team", "photo");

    // The status patches and the finalizer's removal left the user's metadata as it was on the server.
    GenericKubernetesResource stored = onServer("jwt.photoapp.io/v1alpha1", "JwtSecret", NS, "app");
    assertThat(stored.getMetadata().getAnnotations()).containsEntry(ServerFields.LAST_APPLIED, APPLIED)
        .containsEntry("team.example.com/owner", "photo-team");
    assertThat(stored.getMetadata().getLabels()).containsEntry("app", "photo");
    assertThat(stored.getMetadata().getManagedFields()).hasSize(2);
    assertThat(stored.getMetadata().getFinalizers()).isNullOrEmpty();
    assertThat(stored.getAdditionalProperties()).containsKey("status");
    assertThat(onServer("v1", "Secret", NS, "app").getMetadata().getManagedFields()).hasSize(2);

    // A reconcile from the cached copy writes no metadata: the one patch of the JwtSecret is the test's poke.
    h.takeWrites();
    h.pokeAndAwaitReconcile(NS, "app");
    assertThat(h.takeWrites()).filteredOn(w -> w.contains("/jwtsecrets/app")).allMatch(w -> w.startsWith("PATCH "))
        .filteredOn(w -> !w.contains("/jwtsecrets/app/status")).hasSize(1);
    assertThat(onServer("jwt.photoapp.io/v1alpha1", "JwtSecret", NS, "app").getMetadata().getAnnotations())
        .containsEntry(ServerFields.LAST_APPLIED, APPLIED);
  }

  @Test
  void thePublicKeysConfigMapAndTheStoresAreCachedWithoutManagedFields() {
    h.namespace(NS, Map.of());
    h.client.genericKubernetesResources("jwt.photoapp.io/v1alpha1", "JwtSecretStore").inNamespace(NS)
        .resource(asApplied(Stores.vault("vault").in(NS).at("https://vault.example.com:8200").build())).create();
    h.apply(JwtSecrets.named("signer").in(NS).development().algorithm(Algorithm.ES256));
    h.start();
    h.awaitStatus(NS, "signer", ServerFieldsCacheTest::ready);
    addManagedFields("v1", "ConfigMap", "signer-jwks");

    Caches caches = h.operator().reconciler().caches();
    var jwks = awaitWithoutManagedFields(() -> caches.configMapSource.get(new ResourceID("signer-jwks", NS)), "the ConfigMap");
    assertThat(jwks.getData()).isNotEmpty();
    var store = await().atMost(Duration.ofSeconds(20)).until(() -> h.operator().reconciler().stores().namespaced(NS, "vault")
        .orElse(null), s -> s != null);
    assertThat(store.getMetadata().getManagedFields()).isNull();
    assertThat(store.getMetadata().getAnnotations()).doesNotContainKey(ServerFields.LAST_APPLIED)
        .containsEntry("team.example.com/owner", "photo-team");
    assertThat(onServer("jwt.photoapp.io/v1alpha1", "JwtSecretStore", NS, "vault").getMetadata().getAnnotations())
        .containsKey(ServerFields.LAST_APPLIED);
  }
}
