package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code audit} on the workloads of a real API server (1.20: CronJobs only in batch/v1beta1), as an
 * admin and as a user who may not list CronJobs.
 */
@ExtendWith(ClusterExtension.class)
class AuditE2E {
  static final String NS = "e2e-audit";
  static final String LITERAL = "super-secret-key-committed-to-git-e2e";

  record Run(int exit, String out, String err) {}

  static Run audit(Path kubeconfig, Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", E2ECluster.JAR.toString(), "audit",
        "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "audit", ".out");
    Path err = Files.createTempFile(workDir, "audit", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("audit finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static List<String> findings(Run r) throws IOException {
    JsonNode json = Serialization.jsonMapper().readTree(r.out());
    return StreamSupport.stream(json.get("findings").spliterator(), false)
        .map(f -> f.get("kind").asText() + "/" + f.get("name").asText() + ":" + f.get("rule").asText()).toList();
  }

  @Test
  void literalKeysDebugModeAndCronJobsAreFoundAndAForbiddenKindIsSkippedWithAWarning(E2ECluster cluster) throws Exception {
    cluster.namespace(NS);
    cluster.kubectl.run("label", "namespace", NS, Labels.MINIMUM_ENVIRONMENT + "=production", "--overwrite").assertOk();
    cluster.apply(NS, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: photoapp-backend}
        spec:
          selector: {matchLabels: {app: photoapp-backend}}
          template:
            metadata: {labels: {app: photoapp-backend}}
            spec:
              containers:
                - name: api
                  image: photoapp:1
                  env:
                    - {name: JWT_SECRET_KEY, value: "%s"}
                    - {name: DEBUG, value: "true"}
        ---
        apiVersion: batch/v1beta1
        kind: CronJob
        metadata: {name: nightly-report}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: report
                      image: photoapp:1
                      env: [{name: JWT_SECRET, value: "%s"}]
        """.formatted(LITERAL, LITERAL));

    Run admin = audit(cluster.adminKubeconfig, cluster.workDir, "-n", NS, "-o", "json");

    assertThat(admin.exit()).as(admin.err()).isEqualTo(1);
    assertThat(findings(admin)).contains("Deployment/photoapp-backend:LiteralSecretInPodSpec",
        "Deployment/photoapp-backend:DebugInProduction", "CronJob/nightly-report:LiteralSecretInPodSpec");
    assertThat(admin.err()).doesNotContain("cronjobs");
    assertThat(admin.out() + admin.err()).doesNotContain(LITERAL);

    // A user who may list everything audit reads in the namespace but CronJobs.
    cluster.apply(NS, """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: auditor}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: auditor}
        rules:
          - {apiGroups: [jwt.photoapp.io], resources: [jwtsecrets], verbs: [list]}
          - {apiGroups: [""], resources: [secrets, pods], verbs: [list]}
          - {apiGroups: [apps], resources: [deployments, statefulsets, daemonsets], verbs: [list]}
          - {apiGroups: [batch], resources: [jobs], verbs: [list]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: auditor}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: auditor}
        subjects: [{kind: ServiceAccount, name: auditor, namespace: %s}]
        """.formatted(NS));
    TokenRequest token = cluster.admin.serviceAccounts().inNamespace(NS).withName("auditor")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build());
    var config = cluster.adminConfig();
    Path kubeconfig = cluster.workDir.resolve("auditor.kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: e2e, cluster: {server: "%s", certificate-authority-data: %s}}]
        users: [{name: auditor, user: {token: %s}}]
        contexts: [{name: auditor, context: {cluster: e2e, user: auditor, namespace: %s}}]
        current-context: auditor
        """.formatted(config.getMasterUrl().replaceAll("/$", ""), config.getCaCertData(), token.getStatus().getToken(), NS));

    Run limited = audit(kubeconfig, cluster.workDir, "-o", "json");

    assertThat(limited.exit()).as(limited.err()).isEqualTo(1);
    assertThat(limited.err()).contains("warning: cannot list cronjobs.batch in namespace " + NS + " (forbidden: ")
        .contains("CronJobs were not audited; grant list on cronjobs.batch");
    assertThat(findings(limited)).contains("Deployment/photoapp-backend:LiteralSecretInPodSpec")
        .doesNotContain("CronJob/nightly-report:LiteralSecretInPodSpec");
    assertThat(limited.out() + limited.err()).doesNotContain(LITERAL);
  }
}
