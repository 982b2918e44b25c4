package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the operator watches and caches: the namespaces of --namespaces, and only labelled Secrets and workloads. */
@MockApiServer
class WatchScopeTest {
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
  }

  static JwtSecrets jwtSecret(String namespace, String name) {
    return JwtSecrets.named(name).in(namespace).development();
  }

  Secret secret(String namespace, String name, Map<String, String> labels) {
    return h.client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
        .addToStringData("password", "not-a-jwt-key").build()).create();
  }

  Deployment deployment(String namespace, String name, Map<String, String> labels) {
    return h.client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("photoapp:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  @Test
  void aJwtSecretInAnUnwatchedNamespaceIsNeverReconciled() {
    h.namespace("team-a", Map.of());
    h.namespace("team-b", Map.of());
    h.start(OperatorConfig.defaults().withMetricsPort(-1).withNamespaces(Set.of("team-a")));

    h.apply(jwtSecret("team-b", "elsewhere"));
    secret("team-b", "labelled-elsewhere", Map.of(Labels.MANAGED, Labels.TRUE));
    h.apply(jwtSecret("team-a", "watched"));
    h.awaitStatus("team-a", "watched", js -> js.getStatus().keyId != null);
    h.poke("team-b", "elsewhere");
    // Events arrive in order: once this later one is reconciled, team-b's would have been too.
    h.apply(jwtSecret("team-a", "watched-later"));
    h.awaitStatus("team-a", "watched-later", js -> js.getStatus().keyId != null);

    assertThat(h.get("team-b", "elsewhere").getStatus()).isNull();
    assertThat(h.secret("team-b", "elsewhere")).isNull();
    assertThat(h.operator().reconciler().cachedSecretCount())
        .as("managed Secrets of the watched namespace only").isEqualTo(2);
  }

  @Test
  void aWatchedNamespaceIsReadFromItsWatchAndALabelChangeJudgesItsJwtSecretsAgain() {
    h.namespace("team-a", Map.of());
    h.namespace("team-b", Map.of());
    h.start(OperatorConfig.defaults().withMetricsPort(-1).withNamespaces(Set.of("team-a")));
    h.apply(JwtSecrets.named("app").in("team-a").development().length(48));
    h.awaitStatus("team-a", "app", js -> Conditions.isTrue(js.getStatus().conditions, Conditions.READY)
        && Conditions.isTrue(js.getStatus().conditions, Conditions.POLICY_COMPLIANT));
    // The informer of a listed namespace selects it by name: team-b is never listed or watched.
    assertThat(h.takeRequests()).as("namespaces are listed and watched by name only")
        .filteredOn(r -> r.startsWith("GET /api/v1/namespaces?"))
        .hasSizeGreaterThanOrEqualTo(2).allMatch(r -> r.contains("fieldSelector=metadata.name%3Dteam-a"));
    h.pokeAndAwaitReconcile("team-a", "app");
    assertThat(h.takeRequests()).as("the label comes from the watch, not a GET per reconcile")
        .noneMatch(r -> r.startsWith("GET /api/v1/namespaces/team-a?") || r.equals("GET /api/v1/namespaces/team-a"));

    // No edit of the JwtSecret: the namespace's new label alone makes the operator judge it again.
    h.client.namespaces().withName("team-a").edit(n -> {
      n.getMetadata().setLabels(Map.of(Labels.MINIMUM_ENVIRONMENT, "production"));
      return n;
    });
    JwtSecret raised = h.awaitStatus("team-a", "app", js -> js.getStatus().conditions.stream()
        .anyMatch(c -> Conditions.POLICY_COMPLIANT.equals(c.getType()) && "False".equals(c.getStatus())));
    assertThat(raised.getStatus().conditions.stream().filter(c -> Conditions.POLICY_COMPLIANT.equals(c.getType()))
        .findFirst().orElseThrow().getMessage()).contains("minimum-length").contains("production");
  }

  @Test
  @NoKeys
  void withoutListAndWatchOnNamespacesTheLabelIsReadPerReconcile() {
    // An older ClusterRole: get on namespaces, no list or watch.
    h.dispatcher.forbid(r -> "GET".equals(r.getMethod()) && r.getPath().startsWith("/api/v1/namespaces?"));
    h.namespace("strict", Map.of(Labels.MINIMUM_ENVIRONMENT, "production"));
    h.start(OperatorConfig.defaults().withMetricsPort(-1).withNamespaces(Set.of("strict")));
    h.apply(JwtSecrets.named("app").in("strict").development().length(48));
    JwtSecret raised = h.awaitStatus("strict", "app", js -> js.getStatus().conditions.stream()
        .anyMatch(c -> Conditions.POLICY_COMPLIANT.equals(c.getType()) && "False".equals(c.getStatus())));
    assertThat(raised.getStatus().conditions.stream().filter(c -> Conditions.POLICY_COMPLIANT.equals(c.getType()))
        .findFirst().orElseThrow().getMessage()).contains("production");
    assertThat(h.takeRequests()).as("the label read by name instead").contains("GET /api/v1/namespaces/strict");
  }

  @Test
  void unrelatedSecretsAndUnlabelledWorkloadsNeverReachTheCache() {
    h.namespace("photoapp", Map.of());
    IntStream.range(0, 150).parallel().forEach(i -> secret("photoapp", "unrelated-" + i, Map.of("app", "other")));
    IntStream.range(0, 3).forEach(i -> deployment("photoapp", "unlabelled-" + i, Map.of("app", "other")));
    deployment("photoapp", "photoapp-backend", Map.of(Labels.RESTARTABLE, Labels.TRUE));
    h.apply(jwtSecret("photoapp", "photoapp-jwt"));
    h.start();
    h.awaitStatus("photoapp", "photoapp-jwt", js -> js.getStatus().keyId != null);

    // More unrelated Secrets while the informer watches, then one it must see: the watch delivers
    // events in order, so when the last arrives the others have had their chance.
    IntStream.range(150, 200).parallel().forEach(i -> secret("photoapp", "unrelated-" + i, Map.of()));
    deployment("photoapp", "unlabelled-late", Map.of());
    secret("photoapp", "sentinel", Map.of(Labels.MANAGED, Labels.TRUE));
    await().atMost(Duration.ofSeconds(10)).until(() -> h.operator().reconciler().cachedSecretCount() >= 2);

    assertThat(h.client.secrets().inNamespace("photoapp").list().getItems()).hasSizeGreaterThanOrEqualTo(202);
    assertThat(h.operator().reconciler().cachedSecretCount()).as("the managed Secret and the sentinel").isEqualTo(2);
    assertThat(h.operator().reconciler().cachedWorkloadCount()).as("the opted-in Deployment").isEqualTo(1);
  }
}
