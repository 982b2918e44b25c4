package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants can put the operator's label on any Secret: the cache keeps the data of only those that a
 * cached JwtSecret owns, so that labelled Secrets cannot exhaust the operator's heap (issue 15).
 */
@MockApiServer
class BoundedCacheTest {
  /** Per Secret: the bench measures the heap with a MiB each; the cache's rule does not depend on the size. */
  private static final int SIZE = 64 * 1024;
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
  }

  static JwtSecrets jwtSecret(String namespace, String name) {
    return JwtSecrets.named(name).in(namespace).development();
  }

  /** A labelled Secret with {@link #SIZE} bytes of data, and the owner annotations given (forged ones). */
  void bulky(String namespace, String name, Map<String, String> annotations) {
    byte[] junk = new byte[SIZE];
    new java.util.Random(name.hashCode()).nextBytes(junk);
    h.client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Map.of(Labels.MANAGED, Labels.TRUE))
        .withAnnotations(annotations).endMetadata()
        .addToData("jwt-secret-key", Base64.getEncoder().encodeToString(junk)).build()).create();
  }

  /** Waits for the operator's count of cached Secrets; a timeout says what it saw and what the server holds. */
  void awaitCached(java.util.function.LongPredicate expected, Duration within) {
    java.util.List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      await().atMost(within).until(() -> {
        long count = h.operator().reconciler().cachedSecretCount();
        if (seen.isEmpty() || seen.get(seen.size() - 1) != count) {
          seen.add(count);
        }
        return expected.test(count);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("cached Secrets counted " + seen + " in turn; the server holds " + managedOnServer()
          + " labelled managed", e);
    }
  }

  long managedOnServer() {
    return h.client.secrets().inAnyNamespace().withLabel(Labels.MANAGED, Labels.TRUE).list().getItems().size();
  }

  boolean ready(JwtSecret js) {
    return js.getStatus() != null && Conditions.isTrue(js.getStatus().conditions, Conditions.READY);
  }

  @Test
  void twoHundredLabelledSecretsThatNoJwtSecretOwnsLeaveNoDataInTheCache() {
    h.namespace("tenant", Map.of());
    h.namespace("victim", Map.of());
    JwtSecret victim = h.apply(jwtSecret("victim", "app"));
    h.start();
    String victimKey = h.awaitStatus("victim", "app", this::ready).getStatus().keyId;
    h.stopOperator();
    // Before the operator starts (its first list) and after (its watch); plain, forged in the same
    // namespace, and forged to name a real JwtSecret of another namespace, uid included.
    IntStream.range(0, 150).parallel().forEach(i -> bulky("tenant", "bulk-" + i, switch (i % 3) {
      case 0 -> Map.of();
      case 1 -> Map.of(Labels.OWNER, "tenant/app", Labels.OWNER_UID, "0000-forged-" + i);
      default -> Map.of(Labels.OWNER, "victim/app", Labels.OWNER_UID, victim.getMetadata().getUid());
    }));
    h.start();
    // The operator's start checks, after the orphan grace, for Secrets whose owner is gone: the 50 forged
    // for the JwtSecret tenant/app, which does not exist yet, may be released (and leave the cache with
    // their label) on a slow run. The cache holds what the server labels managed, at least the 101 it cannot release
    // (50 naming no owner, 50 naming the live victim/app, and victim/app's own).
    awaitCached(c -> c >= 101 && c == managedOnServer(), Duration.ofSeconds(60));
    assertThat(h.operator().reconciler().cachedDataSize()).as("the operator's own Secret, read at start-up, is whole")
        .isPositive().isLessThan(8 * 1024);
    h.apply(jwtSecret("tenant", "app"));
    IntStream.range(150, 200).parallel().forEach(i -> bulky("tenant", "bulk-" + i,
        Map.of(Labels.OWNER, "tenant/app", Labels.OWNER_UID, "0000-forged-" + i)));
    JwtSecret own = h.awaitStatus("tenant", "app", this::ready);
    // 202, less the forged Secrets the orphan resync released (their named owner did not exist then):
    // released, they leave the informer with their label.
    awaitCached(c -> c >= 152, Duration.ofSeconds(60));

    // The two operator-made Secrets hold a few hundred characters each; the tenant's 12.5 MiB stayed out.
    assertThat(h.operator().reconciler().cachedDataSize()).as("data characters in the cache").isLessThan(16 * 1024);
    assertThat(own.getStatus().keyId).isNotBlank();
    assertThat(OperatorHarness.data(h.secret("tenant", "app"), "jwt-secret-key")).hasSize(64);
    assertThat(h.get("victim", "app").getStatus().keyId).as("the other namespace's key is untouched").isEqualTo(victimKey);

    // A pruned copy is no key: the forged Secrets never hold up the JwtSecret whose name they copy.
    h.pokeAndAwaitReconcile("tenant", "app");
    assertThat(h.get("tenant", "app").getStatus().keyId).isEqualTo(own.getStatus().keyId);
  }

  @Test
  void aLabelledSecretThatIsNotTheOperatorsIsReadWholeWhenAJwtSecretNamesIt() {
    h.namespace("tenant", Map.of());
    h.start();
    JwtSecret other = h.apply(jwtSecret("tenant", "other"));
    String otherUid = h.awaitStatus("tenant", "other", this::ready).getMetadata().getUid();
    // The live JwtSecret's owner marks copied onto a big Secret named for another JwtSecret, and onto
    // many more: none is the Secret "other" names, so none is cached whole.
    bulky("tenant", "app", Map.of(Labels.OWNER, "tenant/other", Labels.OWNER_UID, otherUid));
    IntStream.range(0, 20).forEach(i -> bulky("tenant", "copy-" + i, Map.of(Labels.OWNER, "tenant/other",
        Labels.OWNER_UID, otherUid)));
    h.apply(jwtSecret("tenant", "app"));
    JwtSecret refused = h.awaitStatus("tenant", "app", js -> js.getStatus() != null && js.getStatus().conditions != null
        && js.getStatus().conditions.stream().anyMatch(c -> Conditions.READY.equals(c.getType()) && "False".equals(c.getStatus())));
    assertThat(refused.getStatus().conditions.stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst()
        .orElseThrow().getReason()).isEqualTo(Conditions.SECRET_CONFLICT);
    awaitCached(c -> c == 22, Duration.ofSeconds(20));
    assertThat(h.operator().reconciler().cachedDataSize()).as("only the Secret of 'other' is whole")
        .isPositive().isLessThan(8 * 1024);
    assertThat(other.getMetadata().getName()).isEqualTo("other");
  }

  @Test
  void withSeveralListedNamespacesEachKeepsItsCacheAndReconcilesReadNoSecret() {
    h.namespace("team-a", Map.of());
    h.namespace("team-b", Map.of());
    h.start(OperatorConfig.defaults().withMetricsPort(-1).withNamespaces(Set.of("team-a", "team-b")));
    h.apply(jwtSecret("team-a", "app"));
    h.apply(jwtSecret("team-b", "app"));
    h.awaitStatus("team-a", "app", this::ready);
    h.awaitStatus("team-b", "app", this::ready);
    awaitCached(c -> c == 2, Duration.ofSeconds(10));

    h.takeRequests();
    h.pokeAndAwaitReconcile("team-a", "app");
    h.pokeAndAwaitReconcile("team-b", "app");
    assertThat(h.takeRequests()).as("both Secrets come from the caches").noneMatch(r -> r.startsWith("GET /api/v1/namespaces/team-")
        && r.contains("/secrets/"));
    assertThat(h.operator().reconciler().cachedDataSize()).isPositive();
  }
}
