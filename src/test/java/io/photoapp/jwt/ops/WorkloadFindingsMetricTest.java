package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code jwtsecret_workload_findings{namespace,rule}}: the operator counts the audit's workload findings
 * on the workloads it caches, so that an alert fires without the CLI; it writes no workload for it.
 */
@MockApiServer
class WorkloadFindingsMetricTest {
  static final String NS = "photoapp";
  static final String LITERAL = "super-secret-key-in-the-deployment-manifest";
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) {
    h = harness;
    h.namespace(NS, Map.of());
    h.start(OperatorConfig.defaults().withMetricsPort(-1));
    h.apply(JwtSecrets.named("photoapp-jwt").in(NS).production());
    h.awaitStatus(NS, "photoapp-jwt", js -> js.getStatus().keyId != null);
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private void deployment(String name, boolean optedIn, EnvVar... env) {
    h.client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS)
        .withLabels(optedIn ? Map.of(Labels.RESTARTABLE, "true") : Map.of()).endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("photoapp:1").withEnv(env).endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  private Map<String, Double> findings() {
    return PrometheusText.samples(h.operator().metrics().scrape()).stream()
        .filter(s -> s.name().equals("jwtsecret_workload_findings"))
        .collect(Collectors.toMap(s -> s.labels().get("namespace") + "/" + s.labels().get("rule"), PrometheusText.Sample::value));
  }

  @Test
  void aLiteralKeyAndDebugModeInAProductionNamespaceAreCountedByRuleAndGoWhenFixed() {
    deployment("backend", true, env("JWT_SECRET_KEY", LITERAL), env("DEBUG", "true"));
    deployment("worker", true, env("DEBUG", "1"));
    deployment("not-opted-in", false, env("JWT_SECRET_KEY", LITERAL));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(findings()).isEqualTo(Map.of(
        "photoapp/LiteralSecretInPodSpec", 1.0, "photoapp/weak-key", 1.0, "photoapp/DebugInProduction", 2.0)));
    String page = h.operator().metrics().scrape();
    assertThat(page).doesNotContain(LITERAL).doesNotContain("backend");

    h.client.apps().deployments().inNamespace(NS).withName("backend").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(new EnvVarBuilder().withName("JWT_SECRET_KEY")
          .withNewValueFrom().withNewSecretKeyRef().withName("photoapp-jwt").withKey("jwt-secret-key").endSecretKeyRef()
          .endValueFrom().build()));
      return d;
    });
    h.client.apps().deployments().inNamespace(NS).withName("worker").delete();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(findings()).isEmpty());
    Deployment backend = h.client.apps().deployments().inNamespace(NS).withName("backend").get();
    assertThat(backend.getMetadata().getGeneration()).as("the operator never patched it").isEqualTo(2L);
  }
}
