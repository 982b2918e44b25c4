package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photoapp.jwt.api.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's per-namespace RBAC (watchNamespaces) on a real API server: namespaces may be read only
 * by name (resourceNames), and the operator still watches the minimum-environment label of its
 * namespace, with a list and watch selected by metadata.name, rather than a GET per reconcile.
 */
@ExtendWith(ClusterExtension.class)
class NamespacedRbacE2E {
  static final String WATCHED = "e2e-team-a";
  static final String RELEASE = "jwt-team-a";

  @Test
  void aNamespaceLabelIsWatchedUnderResourceNamesRbac(E2ECluster cluster) throws Exception {
    cluster.namespace(WATCHED);
    E2ECluster.ChartAccount account = E2ECluster.chartAccount(cluster.admin, cluster.kubectl, cluster.adminConfig(),
        cluster.workDir, RELEASE, Map.of("watchNamespaces[0]", WATCHED, "leaderElection.enabled", "false"));
    Kubectl asOperator = cluster.kubectl.as(account.kubeconfig());
    // Its namespace by name, nothing else of the cluster's namespaces.
    assertThat(can(asOperator, "watch", "namespaces/" + WATCHED)).isEqualTo("yes");
    assertThat(can(asOperator, "list", "namespaces/" + WATCHED)).isEqualTo("yes");
    assertThat(can(asOperator, "list", "namespaces")).isEqualTo("no");
    assertThat(can(asOperator, "get", "namespaces/default")).isEqualTo("no");

    // The chart's main operator (all namespaces) reconciles e2e-team-a's JwtSecrets as well, so this
    // one is judged by its own log: its namespace watch started, and it saw the label change.
    try (OperatorProcess op = OperatorProcess.start("team-a", E2ECluster.JAR, account.kubeconfig(), cluster.workDir,
        List.of("--namespaces", WATCHED))) {
      op.awaitReady("", Duration.ofSeconds(90));
      assertThat(op.logText()).as("the namespace watch started under resourceNames RBAC")
          .doesNotContain("cannot watch namespaces");

      cluster.kubectl.run("label", "namespace", WATCHED, Labels.MINIMUM_ENVIRONMENT + "=production", "--overwrite")
          .assertOk();
      await("the operator sees the label change").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
          .until(() -> op.logText().contains("namespace " + WATCHED + ": " + Labels.MINIMUM_ENVIRONMENT + " is now production"));
      assertThat(op.forbiddenLines()).as("no request the chart's RBAC refuses").isEmpty();
    } finally {
      cluster.kubectl.run("label", "namespace", WATCHED, Labels.MINIMUM_ENVIRONMENT + "-");
    }
  }

  private static String can(Kubectl kubectl, String verb, String resource) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource));
    return kubectl.run(args.toArray(String[]::new)).out().trim();
  }
}
