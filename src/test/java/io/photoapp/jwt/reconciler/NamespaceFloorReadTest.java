package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.Labels;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the namespaces are not watched (a ClusterRole without list and watch), or a namespace is not in the
 * cache yet, the policy labels are read with a GET. A GET that fails is not "no label": read that way, a
 * JwtSecret below its namespace's minimum-environment, or without its required approval, got its key.
 */
class NamespaceFloorReadTest {
  KubernetesMockServer server;
  KubernetesClient client;
  NamespaceLabels labels;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    server.expect().get().withPath("/api/v1/namespaces/flaky").andReturn(503, "unavailable").always();
    server.expect().get().withPath("/api/v1/namespaces/forbidden").andReturn(403, "forbidden").always();
    server.expect().get().withPath("/api/v1/namespaces/prod").andReturn(200, new NamespaceBuilder().withNewMetadata()
        .withName("prod").addToLabels(Labels.MINIMUM_ENVIRONMENT, "production").addToLabels(Labels.REQUIRE_APPROVAL, "true")
        .endMetadata().build()).always();
    // No retries: a 5xx is retried with backoff, which this test need not wait through.
    KubernetesClient mock = server.createClient();
    client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
        new io.fabric8.kubernetes.client.ConfigBuilder(mock.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
    mock.close();
    // Never started: not watching, as where the watch could not start.
    labels = new NamespaceLabels(client, Set.of(), ns -> Stream.empty());
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void aNamespaceThatCannotBeReadHoldsTheJwtSecretInsteadOfDroppingItsFloor() {
    for (String ns : new String[] {"flaky", "forbidden"}) {
      assertThatThrownBy(() -> labels.minimum(ns)).as(ns).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot read namespace " + ns);
      assertThatThrownBy(() -> labels.requiresApproval(ns)).as(ns).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aNamespaceReadOrGoneGivesItsLabelsOrNone() {
    assertThat(labels.minimum("prod")).contains(Environment.PRODUCTION);
    assertThat(labels.requiresApproval("prod")).isTrue();
    assertThat(labels.minimum("gone")).isEmpty();
    assertThat(labels.requiresApproval("gone")).isFalse();
  }
}
