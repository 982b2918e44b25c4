package io.photoapp.jwt.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's clients read every kind they watch into its own class although their serialization does not
 * scan the class path: a watch event's object and a list's items arrive typed (not as generic resources, which
 * is what an unknown kind becomes), a watch's ERROR event carries a Status (how a watch sees 410 Gone and
 * lists afresh), and an Argo Rollout, which fabric8 has no class for, stays a generic resource.
 */
class OperatorSerializationTest {
  static final KubernetesSerialization SERIALIZATION = OperatorSerialization.create();

  static Stream<Arguments> kinds() {
    return Stream.of(
        argumentSet("Secret", "v1", "Secret", Secret.class),
        argumentSet("ConfigMap", "v1", "ConfigMap", ConfigMap.class),
        argumentSet("Namespace", "v1", "Namespace", Namespace.class),
        argumentSet("Event", "v1", "Event", Event.class),
        argumentSet("Lease (leader election)", "coordination.k8s.io/v1", "Lease", Lease.class),
        argumentSet("Deployment", "apps/v1", "Deployment", Deployment.class),
        argumentSet("StatefulSet", "apps/v1", "StatefulSet", StatefulSet.class),
        argumentSet("DaemonSet", "apps/v1", "DaemonSet", DaemonSet.class),
        argumentSet("JwtSecret", "jwt.photoapp.io/v1alpha1", "JwtSecret", JwtSecret.class),
        argumentSet("JwtSecretStore", "jwt.photoapp.io/v1alpha1", "JwtSecretStore", JwtSecretStore.class),
        argumentSet("ClusterJwtSecretStore", "jwt.photoapp.io/v1alpha1", "ClusterJwtSecretStore", ClusterJwtSecretStore.class),
        argumentSet("Argo Rollout (no class: generic)", "argoproj.io/v1alpha1", "Rollout", GenericKubernetesResource.class));
  }

  static String object(String apiVersion, String kind, String name) {
    return """
        {"apiVersion": "%s", "kind": "%s", "metadata": {"name": "%s", "namespace": "ns", "resourceVersion": "7"}}"""
        .formatted(apiVersion, kind, name);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aWatchEventsObjectIsReadIntoItsClass(String apiVersion, String kind, Class<?> type) {
    for (String action : List.of("ADDED", "MODIFIED", "DELETED")) {
      WatchEvent event = SERIALIZATION.unmarshal("{\"type\": \"" + action + "\", \"object\": " + object(apiVersion, kind, "a") + "}",
          WatchEvent.class);

      assertThat(event.getObject()).isExactlyInstanceOf(type);
      assertThat(((HasMetadata) event.getObject()).getMetadata().getName()).isEqualTo("a");
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aListsItemsAreReadIntoTheirClass(String apiVersion, String kind, Class<?> type) {
    String items = "[" + object(apiVersion, kind, "a") + ", " + object(apiVersion, kind, "b") + "]";
    KubernetesList list = SERIALIZATION.unmarshal("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": " + items + "}",
        KubernetesList.class);
    assertThat(list.getItems()).hasSize(2).allSatisfy(item -> assertThat(item).isExactlyInstanceOf(type));

    // As the client reads a list reply of a kind without a list class of its own (the custom resources).
    if (type != GenericKubernetesResource.class) {
      Type listType = SERIALIZATION.constructParametricType(DefaultKubernetesResourceList.class, type);
      DefaultKubernetesResourceList<?> typed = SERIALIZATION.unmarshal(new ByteArrayInputStream(
          ("{\"apiVersion\": \"" + apiVersion + "\", \"kind\": \"" + kind + "List\", \"items\": " + items + "}")
              .getBytes(StandardCharsets.UTF_8)), new TypeReference<DefaultKubernetesResourceList<?>>() {
                @Override
                public Type getType() {
                  return listType;
                }
              });
      assertThat(typed.getItems()).hasSize(2).allSatisfy(item -> assertThat(item).isExactlyInstanceOf(type));
    }
  }

  @Test
  void aWatchsErrorEventCarriesAStatus() {
    WatchEvent event = SERIALIZATION.unmarshal("""
        {"type": "ERROR", "object": {"apiVersion": "v1", "kind": "Status", "status": "Failure", "reason": "Expired",
         "message": "too old resource version: 7 (90)", "code": 410, "metadata": {}}}""", WatchEvent.class);

    assertThat(event.getObject()).isInstanceOfSatisfying(Status.class, s -> assertThat(s.getCode()).isEqualTo(410));
  }

  @Test
  void knowsNoKindBeyondTheOperatorsOwn() {
    // What the class path scan would have found (kubernetes-model-gatewayapi is on the class path).
    assertThat(SERIALIZATION.getRegisteredKubernetesResource("gateway.networking.k8s.io/v1", "Gateway")).isNull();
    assertThat(SERIALIZATION.getRegisteredKubernetesResource("v1", "Pod")).isNull();
    assertThat(SERIALIZATION.getRegisteredKubernetesResource("v1", "Secret")).isEqualTo(Secret.class);
  }

  @Test
  void aKubeconfigWithExtensionsStillReads() {
    OperatorSerialization.untypedKubeconfigExtensions();
    io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig("""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:6443
            extensions:
            - name: client.authentication.k8s.io/exec
              extension: {audience: photoapp}
        contexts:
        - name: ctx
          context: {cluster: c, user: u, namespace: photoapp}
          extensions:
          - name: ours
            extension: {apiVersion: v1, kind: Secret, metadata: {name: s}}
        current-context: ctx
        users:
        - name: u
          user: {token: not-a-real-token}
        """);

    assertThat(config.getMasterUrl()).isEqualTo("https://127.0.0.1:6443/");
    assertThat(config.getNamespace()).isEqualTo("photoapp");
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
        .findMixInClassFor(io.fabric8.kubernetes.api.model.NamedExtension.class)).isNotNull();
  }
}
