package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.photoapp.jwt.api.JwtSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart as an admin meets it on a real API server: a CRD applied before with kubectl is handed
 * to the release as the README says, helm install and helm upgrade manage it, the disruption budget
 * uses the API the cluster serves, and helm uninstall keeps the CRD and every JwtSecret.
 */
@ExtendWith(ClusterExtension.class)
class ChartUpgradeE2E {
  static final String RELEASE = "jwt-helm";
  static final String NAMESPACE = "e2e-helm";

  @Test
  void aCrdAppliedWithKubectlIsAdoptedUpgradedAndKeptOnUninstall(E2ECluster cluster) {
    cluster.namespace("e2e-helm-apps");
    cluster.apply("e2e-helm-apps", """
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: survivor}
        spec: {environment: development}
        """).assertOk();

    // README, Install: hand the CRD that kubectl applied to the release.
    for (String crd : java.util.List.of(JwtSecret.CRD_NAME, io.photoapp.jwt.api.JwtSecretStore.CRD_NAME,
        io.photoapp.jwt.api.ClusterJwtSecretStore.CRD_NAME)) {
      cluster.kubectl.run("label", "crd", crd, "app.kubernetes.io/managed-by=Helm", "--overwrite").assertOk();
      cluster.kubectl.run("annotate", "crd", crd, "meta.helm.sh/release-name=" + RELEASE,
          "meta.helm.sh/release-namespace=" + NAMESPACE, "--overwrite").assertOk();
    }
    try {
      new Helm(E2ECluster.CHART).install().withName(RELEASE).withNamespace(NAMESPACE).createNamespace()
          .withKubeConfig(cluster.adminKubeconfig).set("replicas", 2).set("rbac.create", false)
          .set("serviceAccount.create", false).set("serviceAccount.name", "default").call();

      CustomResourceDefinition crd = cluster.admin.apiextensions().v1().customResourceDefinitions().withName(JwtSecret.CRD_NAME).get();
      assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep")
          .containsEntry("meta.helm.sh/release-name", RELEASE);
      assertThat(crd.getSpec().getNames().getCategories()).containsExactly("jwt");
      // Kubernetes 1.20 serves PodDisruptionBudget only as policy/v1beta1.
      assertThat(cluster.kubectl.run("-n", NAMESPACE, "get", "poddisruptionbudgets.v1beta1.policy", "-o", "name").assertOk().out())
          .contains("jwt-helm-jwt-secret-operator");

      new Helm(E2ECluster.CHART).upgrade().withName(RELEASE).withNamespace(NAMESPACE).withKubeConfig(cluster.adminKubeconfig)
          .set("replicas", 2).set("revisionHistoryLimit", 3).set("rbac.create", false)
          .set("serviceAccount.create", false).set("serviceAccount.name", "default").call();
      Deployment deployment = cluster.admin.apps().deployments().inNamespace(NAMESPACE).withName("jwt-helm-jwt-secret-operator").get();
      assertThat(deployment.getSpec().getRevisionHistoryLimit()).isEqualTo(3);
    } finally {
      Helm.uninstall(RELEASE).withNamespace(NAMESPACE).withKubeConfig(cluster.adminKubeconfig).call();
    }

    // crds.keep: the CRD, and so every JwtSecret, outlives the release.
    assertThat(cluster.admin.apiextensions().v1().customResourceDefinitions().withName(JwtSecret.CRD_NAME).get()).isNotNull();
    assertThat(cluster.jwtSecret("e2e-helm-apps", "survivor")).isNotNull();
  }
}
