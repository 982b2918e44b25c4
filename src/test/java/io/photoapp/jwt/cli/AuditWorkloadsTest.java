package io.photoapp.jwt.cli;

import static io.photoapp.jwt.cli.CliRunner.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** {@code audit} on the workloads of a cluster (the mock API server): keys in pod specs, debug mode, lifetimes. */
class AuditWorkloadsTest extends CliScenario {
  /** What a manifest in Git would hold; never printed. */
  static final String LITERAL = "super-secret-key-from-the-helm-values-file";
  static final String STRONG = "5mX0c3QkzT1aQ9wAZt1aQ9wLp0sXr2Bqk3Hq9-Zt1aQ9wLp0sXr2Bq_Hq9-Zt1aQ9w";
  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .endSecretKeyRef().endValueFrom().build();
  }

  private static PodSpec pod(EnvVar... env) {
    Container c = new ContainerBuilder().withName("app").withImage("photoapp").withEnv(env).build();
    return new PodSpecBuilder().withContainers(c).withRestartPolicy("Never").build();
  }

  private static ObjectMeta meta(String namespace, String name) {
    return new ObjectMetaBuilder().withNamespace(namespace).withName(name).build();
  }

  private void deployment(String namespace, String name, EnvVar... env) {
    h.client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder().withMetadata(meta(namespace, name))
        .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
        .withTemplate(new PodTemplateSpec(new ObjectMetaBuilder().addToLabels("app", name).build(), pod(env)))
        .endSpec().build()).create();
  }

  private void cronJob(String namespace, String name, EnvVar... env) {
    h.client.batch().v1().cronjobs().inNamespace(namespace).resource(new CronJobBuilder().withMetadata(meta(namespace, name))
        .withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec()
        .withTemplate(new PodTemplateSpec(new ObjectMeta(), pod(env))).endSpec().endJobTemplate().endSpec().build()).create();
  }

  private void pod(String namespace, String name, String ownerKind, EnvVar... env) {
    ObjectMetaBuilder m = new ObjectMetaBuilder().withNamespace(namespace).withName(name);
    if (ownerKind != null) {
      m.addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind).withName("owner").withUid("u-1")
          .withController(true).endOwnerReference();
    }
    h.client.pods().inNamespace(namespace).resource(new PodBuilder().withMetadata(m.build()).withSpec(pod(env)).build())
        .create();
  }

  private void job(String namespace, String name, String ownerKind, EnvVar... env) {
    ObjectMetaBuilder m = new ObjectMetaBuilder().withNamespace(namespace).withName(name);
    if (ownerKind != null) {
      m.addNewOwnerReference().withApiVersion("batch/v1").withKind(ownerKind).withName("owner").withUid("u-2")
          .withController(true).endOwnerReference();
    }
    h.client.batch().v1().jobs().inNamespace(namespace).resource(new JobBuilder().withMetadata(m.build()).withNewSpec()
        .withTemplate(new PodTemplateSpec(new ObjectMeta(), pod(env))).endSpec().build()).create();
  }

  private static List<JsonNode> findings(CliRunner.Result r) throws Exception {
    return StreamSupport.stream(Serialization.jsonMapper().readTree(r.out()).get("findings").spliterator(), false).toList();
  }

  private static List<String> summary(List<JsonNode> findings) {
    return findings.stream().map(f -> f.get("kind").asText() + "/" + f.get("name").asText() + ":" + f.get("rule").asText())
        .toList();
  }

  @Test
  @NoKeys
  void aLiteralJwtSecretKeyInADeploymentIsAViolationNamingTheWorkloadAndNeverTheValue() throws Exception {
    deployment(NAMESPACE, "photoapp-backend", env("JWT_SECRET_KEY", LITERAL), env("LOG_LEVEL", "info"));

    CliRunner.Result table = cli.run("audit");
    CliRunner.Result json = cli.run("audit", "-o", "json");
    CliRunner.Result markdown = cli.run("audit", "-o", "markdown");

    assertThat(table.exitCode()).isEqualTo(1);
    assertThat(table.out()).containsPattern("photoapp +Deployment +photoapp-backend +app/JWT_SECRET_KEY +\\S{16} +violation"
        + " +LiteralSecretInPodSpec +Deployment photoapp-backend container app sets JWT_SECRET_KEY with a literal value")
        .contains("weak-key").contains("and 1 workload");
    assertThat(summary(findings(json))).containsExactly("Deployment/photoapp-backend:LiteralSecretInPodSpec",
        "Deployment/photoapp-backend:weak-key", "Deployment/photoapp-backend:entropy");
    JsonNode literal = findings(json).get(0);
    assertThat(literal.get("container").asText()).isEqualTo("app");
    assertThat(literal.get("variable").asText()).isEqualTo("JWT_SECRET_KEY");
    assertThat(literal.get("guide").asText()).startsWith("No secrets in version control");
    assertThat(markdown.exitCode()).isEqualTo(1);
    assertThat(markdown.out()).contains("### Namespace photoapp", "| violation | Deployment | photoapp-backend | app/JWT_SECRET_KEY"
        + " | LiteralSecretInPodSpec |");
    for (CliRunner.Result r : List.of(table, json, markdown)) {
      assertThat(r.out()).doesNotContain(LITERAL);
      assertThat(r.err()).doesNotContain(LITERAL);
    }
  }

  @Test
  void debugModeAndLongTokensInAProductionNamespaceAreViolationsAndNotElsewhere() throws Exception {
    h.namespace("prod", Map.of());
    h.namespace("dev", Map.of());
    h.apply(JwtSecrets.named("photoapp-jwt").in("prod").production());
    h.awaitStatus("prod", "photoapp-jwt", js -> js.getStatus().keyId != null);
    deployment("prod", "photoapp-backend", env("DEBUG", "true"), env("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "240"),
        fromSecret("JWT_SECRET_KEY", "photoapp-jwt", "jwt-secret-key"));
    deployment("dev", "photoapp-backend", env("DEBUG", "true"), env("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "240"));

    CliRunner.Result r = cli.run("audit", "-A", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    List<JsonNode> findings = findings(r);
    assertThat(findings).extracting(f -> f.get("namespace").asText() + ":" + f.get("rule").asText() + ":"
        + f.get("environment").asText()).containsExactly("prod:DebugInProduction:production",
        "prod:TokenLifetimeTooLong:production");
    assertThat(findings.get(0).get("guide").asText()).isEqualTo("Debug mode disabled in production");
    JsonNode report = Serialization.jsonMapper().readTree(r.out());
    assertThat(report.get("schema").asText()).isEqualTo("jwt.photoapp.io/audit-report/v1");
    JsonNode prod = StreamSupport.stream(report.get("namespaces").spliterator(), false)
        .filter(n -> n.get("namespace").asText().equals("prod")).findFirst().orElseThrow();
    assertThat(prod.get("environment").asText()).isEqualTo("production");
    assertThat(prod.get("jwtSecrets").get(0).get("maxKeyAgeDays").asInt()).isEqualTo(180);
    assertThat(report.get("environments").get(0).get("environment").asText()).isEqualTo("production");
  }

  @Test
  @NoKeys
  void theNamespaceLabelMakesANamespaceWithoutJwtSecretsProduction() throws Exception {
    h.namespace("legacy", Map.of(Labels.MINIMUM_ENVIRONMENT, "production"));
    deployment("legacy", "old-app", env("DEBUG", "1"));

    CliRunner.Result r = cli.run("audit", "-n", "legacy", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(summary(findings(r))).containsExactly("Deployment/old-app:DebugInProduction");
  }

  @Test
  @NoKeys
  void aCronJobAndABarePodAreAuditedAndPodsAndJobsMadeByAControllerAreNot() throws Exception {
    cronJob(NAMESPACE, "nightly-report", env("JWT_SECRET", STRONG));
    pod(NAMESPACE, "debug-shell", null, env("jwtSecret", STRONG));
    pod(NAMESPACE, "backend-7d9f-abcde", "ReplicaSet", env("JWT_SECRET", STRONG));
    job(NAMESPACE, "nightly-report-28893", "CronJob", env("JWT_SECRET", STRONG));
    job(NAMESPACE, "one-off-migration", null, env("JWT_KEY", STRONG));

    CliRunner.Result r = cli.run("audit", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(summary(findings(r))).containsExactly("CronJob/nightly-report:LiteralSecretInPodSpec",
        "Job/one-off-migration:LiteralSecretInPodSpec", "Pod/debug-shell:LiteralSecretInPodSpec");
    assertThat(Serialization.jsonMapper().readTree(r.out()).get("workloadsScanned").asInt()).isEqualTo(3);
    assertThat(r.all()).doesNotContain(STRONG);
  }

  @Test
  @NoKeys
  void aKeyReadFromAHandMadeSecretIsAWarningOnly() throws Exception {
    deployment(NAMESPACE, "photoapp-backend", fromSecret("JWT_SECRET_KEY", "hand-made", "key"));

    CliRunner.Result r = cli.run("audit");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).containsPattern("photoapp +Deployment +photoapp-backend +app/JWT_SECRET_KEY +- +warning"
        + " +UnmanagedKeySource +.*Secret hand-made \\(data key key\\), which no JwtSecret manages");
  }

  @Test
  @NoKeys
  void theSameLiteralKeyInTwoNamespacesIsADuplicate() throws Exception {
    h.namespace("staging", Map.of());
    deployment(NAMESPACE, "photoapp-backend", env("JWT_SECRET_KEY", STRONG));
    deployment("staging", "photoapp-backend", env("JWT_SECRET_KEY", STRONG));

    CliRunner.Result r = cli.run("audit", "-A", "-o", "json");

    assertThat(findings(r)).filteredOn(f -> f.get("rule").asText().equals("duplicate-key"))
        .extracting(f -> f.get("namespace").asText() + ": " + f.get("message").asText())
        .containsExactly("photoapp: literal JWT_SECRET_KEY of container app is the same key as in Deployment"
            + " staging/photoapp-backend; every environment needs its own key",
            "staging: literal JWT_SECRET_KEY of container app is the same key as in Deployment"
            + " photoapp/photoapp-backend; every environment needs its own key");
  }

  @Test
  @NoKeys
  void aKindTheUserMayNotListIsSkippedWithAWarningAndTheRestIsAudited() throws Exception {
    cronJob(NAMESPACE, "nightly-report", env("JWT_SECRET", STRONG));
    deployment(NAMESPACE, "photoapp-backend", env("JWT_SECRET_KEY", LITERAL));
    h.dispatcher.forbid(req -> req.getPath().contains("/cronjobs"));

    CliRunner.Result r = cli.run("audit", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString()
        .startsWith("warning: cannot list cronjobs.batch in namespace photoapp (forbidden: ")
        .endsWith("CronJobs were not audited; grant list on cronjobs.batch");
    assertThat(summary(findings(r))).containsExactly("Deployment/photoapp-backend:LiteralSecretInPodSpec",
        "Deployment/photoapp-backend:weak-key", "Deployment/photoapp-backend:entropy");
  }

  @Test
  @NoKeys
  void onAnApiServerWithoutBatchV1CronJobsTheyAreReadFromV1beta1() throws Exception {
    h.client.batch().v1beta1().cronjobs().inNamespace(NAMESPACE).resource(
        new io.fabric8.kubernetes.api.model.batch.v1beta1.CronJobBuilder().withMetadata(meta(NAMESPACE, "nightly-report"))
            .withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec()
            .withTemplate(new PodTemplateSpec(new ObjectMeta(), pod(env("JWT_SECRET", STRONG)))).endSpec().endJobTemplate()
            .endSpec().build()).create();
    h.dispatcher.notServed(req -> req.getPath().startsWith("/apis/batch/v1/") && req.getPath().contains("/cronjobs"));

    CliRunner.Result r = cli.run("audit", "-o", "json");

    assertThat(r.err()).isEmpty();
    assertThat(summary(findings(r))).containsExactly("CronJob/nightly-report:LiteralSecretInPodSpec");
  }

  @Test
  void theExamplesPassTheWorkloadRules() throws Exception {
    try (var files = java.nio.file.Files.list(Path.of("examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
          for (var item : h.client.load(in).items()) {
            item.getMetadata().setNamespace(NAMESPACE);
            h.client.resource(item).inNamespace(NAMESPACE).createOr(existing -> existing.update());
          }
        }
      }
    }

    CliRunner.Result r = cli.run("audit", "-o", "json");

    assertThat(Serialization.jsonMapper().readTree(r.out()).get("workloadsScanned").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(findings(r)).filteredOn(f -> !Set.of("JwtSecret", "Secret").contains(f.get("kind").asText())).isEmpty();
  }
}
