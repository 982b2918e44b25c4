package io.photoapp.jwt.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * The operator's clients skip what they never read of a workload: neither set nor kept as an additional property
 * (where a tenant's large values would end up), while what they read arrives whole, and what they write is not cut.
 */
class ReadFieldsTest {
  static final KubernetesSerialization SERIALIZATION = OperatorSerialization.create();

  static final String DEPLOYMENT = """
      {"apiVersion": "apps/v1", "kind": "Deployment",
       "metadata": {"name": "web", "namespace": "photoapp", "labels": {"app": "web"}, "annotations": {"a": "b"},
                    "managedFields": [{"manager": "kubectl", "operation": "Apply", "fieldsV1": {"f:spec": {}}}]},
       "spec": {"replicas": 3, "paused": true, "minReadySeconds": 5, "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"type": "Recreate"},
                "template": {"metadata": {"annotations": {"jwt.photoapp.io/key-set.web": "k1"}},
                             "spec": {"serviceAccountName": "web", "affinity": {"nodeAffinity": {}},
                                      "containers": [{"name": "web", "image": "web:1", "args": ["--x"],
                                                      "resources": {"limits": {"memory": "1Gi"}},
                                                      "env": [{"name": "JWT_SECRET_KEY", "value": "v"},
                                                              {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                                              {"name": "K", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                                                      "envFrom": [{"secretRef": {"name": "s"}}]}],
                                      "volumes": [{"name": "tmp", "emptyDir": {}},
                                                  {"name": "keys", "secret": {"secretName": "s", "items": [{"key": "k", "path": "p"}]}}]}}},
       "status": {"replicas": 3, "readyReplicas": 2, "conditions": [{"type": "Progressing", "status": "True"}]}}
      """;

  @Test
  void whatNobodyReadsIsSkippedNotKept() {
    Deployment d = SERIALIZATION.unmarshal(DEPLOYMENT, Deployment.class);

    assertThat(d.getMetadata().getManagedFields()).isEmpty();
    assertThat(d.getMetadata().getAdditionalProperties()).isEmpty();
    assertThat(d.getSpec().getSelector()).isNull();
    assertThat(d.getSpec().getStrategy()).isNull();
    assertThat(d.getSpec().getMinReadySeconds()).isNull();
    assertThat(d.getSpec().getAdditionalProperties()).isEmpty();
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getAffinity()).isNull();
    assertThat(pod.getServiceAccountName()).isNull();
    assertThat(pod.getAdditionalProperties()).isEmpty();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isNull();
    assertThat(container.getArgs()).isEmpty();
    assertThat(container.getResources()).isNull();
    assertThat(container.getAdditionalProperties()).isEmpty();
    assertThat(container.getEnv().get(1).getValueFrom().getFieldRef()).isNull();
    assertThat(container.getEnv().get(1).getValueFrom().getAdditionalProperties()).isEmpty();
    assertThat(pod.getVolumes().get(0).getEmptyDir()).isNull();
    assertThat(pod.getVolumes().get(0).getAdditionalProperties()).isEmpty();
  }

  @Test
  void whatTheOperatorReadsArrivesWhole() {
    Deployment d = SERIALIZATION.unmarshal(DEPLOYMENT, Deployment.class);

    assertThat(d.getMetadata().getName()).isEqualTo("web");
    assertThat(d.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(d.getMetadata().getAnnotations()).containsEntry("a", "b");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getPaused()).isTrue();
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/key-set.web", "k1");
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo("web");
    assertThat(container.getEnv()).extracting(e -> e.getName()).containsExactly("JWT_SECRET_KEY", "POD", "K");
    assertThat(container.getEnv().get(0).getValue()).isEqualTo("v");
    assertThat(container.getEnv().get(2).getValueFrom().getSecretKeyRef().getName()).isEqualTo("s");
    assertThat(container.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("s");
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes().get(1).getSecret().getItems().get(0).getKey()).isEqualTo("k");
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(d.getStatus().getConditions().get(0).getType()).isEqualTo("Progressing");
  }

  @Test
  void aStatefulSetsClaimTemplatesAndStrategyDetailsAreSkipped() {
    StatefulSet s = SERIALIZATION.unmarshal("""
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
         "spec": {"replicas": 2, "serviceName": "db",
                  "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 1, "maxUnavailable": 1}},
                  "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}],
                  "template": {"spec": {"containers": [{"name": "db"}]}}}}
        """, StatefulSet.class);

    assertThat(s.getSpec().getVolumeClaimTemplates()).isEmpty();
    assertThat(s.getSpec().getServiceName()).isNull();
    assertThat(s.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isEqualTo(1);
    assertThat(s.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable()).isNull();
    assertThat(s.getSpec().getAdditionalProperties()).isEmpty();
  }

  @Test
  void writingIsNotCut() {
    Deployment full = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(DEPLOYMENT, Deployment.class);

    String written = SERIALIZATION.asJson(full);

    assertThat(written).contains("\"image\":\"web:1\"", "\"serviceAccountName\":\"web\"", "\"managedFields\"", "\"emptyDir\"",
        "\"strategy\"");
  }
}
