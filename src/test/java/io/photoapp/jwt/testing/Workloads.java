package io.photoapp.jwt.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.photoapp.jwt.api.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a Deployment, StatefulSet or DaemonSet for a test: {@code Workloads.deployment("backend").in(ns).optedIn()}.
 * Its pods are labelled {@code app: <name>} and selected by that label; one container, {@code app}
 * running {@code photoapp:1}, unless the test names another.
 */
public final class Workloads {
  private final String kind;
  private final String name;
  private String namespace;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private Integer replicas;
  private String container = "app";
  private String image = "photoapp:1";

  private Workloads(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public static Workloads deployment(String name) {
    return new Workloads("Deployment", name);
  }

  public static Workloads statefulSet(String name) {
    return new Workloads("StatefulSet", name);
  }

  public static Workloads daemonSet(String name) {
    return new Workloads("DaemonSet", name);
  }

  public Workloads in(String namespace) {
    this.namespace = namespace;
    return this;
  }

  /** Carries the label by which a workload lets the operator restart it. */
  public Workloads optedIn() {
    return label(Labels.RESTARTABLE, Labels.TRUE);
  }

  public Workloads label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public Workloads labels(Map<String, String> more) {
    labels.putAll(more);
    return this;
  }

  public Workloads replicas(int replicas) {
    this.replicas = replicas;
    return this;
  }

  public Workloads container(String name, String image) {
    this.container = name;
    this.image = image;
    return this;
  }

  public HasMetadata build() {
    var meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .withLabels(labels.isEmpty() ? null : new LinkedHashMap<>(labels)).build();
    LabelSelector selector = new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
        .withMatchLabels(Map.of("app", name)).build();
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", name))
        .endMetadata().withNewSpec().addNewContainer().withName(container).withImage(image).endContainer().endSpec().build();
    return switch (kind) {
      case "Deployment" -> new DeploymentBuilder().withMetadata(meta).withNewSpec().withReplicas(replicas)
          .withSelector(selector).withTemplate(template).endSpec().build();
      case "StatefulSet" -> new StatefulSetBuilder().withMetadata(meta).withNewSpec().withReplicas(replicas)
          .withSelector(selector).withTemplate(template).endSpec().build();
      default -> new DaemonSetBuilder().withMetadata(meta).withNewSpec()
          .withSelector(selector).withTemplate(template).endSpec().build();
    };
  }
}
