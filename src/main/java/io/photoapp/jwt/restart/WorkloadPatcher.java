package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * Rolls a workload the way {@code kubectl rollout restart} does: one pod-template annotation, set by
 * a JSON merge patch under the operator's field manager. Never deletes pods.
 */
public class WorkloadPatcher {
  private final KubernetesClient client;
  private final String fieldManager;
  private final java.time.Clock clock;

  public WorkloadPatcher(KubernetesClient client, String fieldManager, java.time.Clock clock) {
    this.client = client;
    this.fieldManager = fieldManager;
    this.clock = clock;
  }

  /** Sets the annotation and returns the workload's new metadata.generation. */
  public long setAnnotation(String namespace, WorkloadView workload, String annotation, String value) {
    return setAnnotations(namespace, workload, Map.of(annotation, value));
  }

  /**
   * Sets the annotations in one patch (one rollout, whatever their number) and returns the workload's
   * new metadata.generation.
   */
  public long setAnnotations(String namespace, WorkloadView workload, Map<String, String> annotations) {
    String body = Serialization.asJson(workload.kind() == io.photoapp.jwt.api.TargetKind.Rollout
        ? ArgoRollouts.restartPatch(annotations, clock.instant())
        : Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations", annotations)))));
    PatchContext ctx = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(fieldManager).build();
    // resource(named), not withName(..): fabric8 GETs the object before a patch by name; the object
    // given only names the target, the patch body is all that is sent.
    io.fabric8.kubernetes.api.model.ObjectMeta meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(workload.name()).withNamespace(namespace).build();
    HasMetadata patched = switch (workload.kind()) {
      case Deployment -> client.apps().deployments().inNamespace(namespace)
          .resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withMetadata(meta).build()).patch(ctx, body);
      case StatefulSet -> client.apps().statefulSets().inNamespace(namespace)
          .resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withMetadata(meta).build()).patch(ctx, body);
      case DaemonSet -> client.apps().daemonSets().inNamespace(namespace)
          .resource(new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder().withMetadata(meta).build()).patch(ctx, body);
      case Rollout -> {
        io.fabric8.kubernetes.api.model.GenericKubernetesResource named = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        named.setApiVersion(ArgoRollouts.API_VERSION);
        named.setKind(ArgoRollouts.KIND);
        named.setMetadata(meta);
        yield client.genericKubernetesResources(ArgoRollouts.CONTEXT).inNamespace(namespace)
            .resource(named).patch(ctx, body);
      }
    };
    Long generation = patched.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /** The Java type of each workload kind, for the informers. */
  public static Class<? extends HasMetadata> typeOf(io.photoapp.jwt.api.TargetKind kind) {
    return switch (kind) {
      case Deployment -> Deployment.class;
      case StatefulSet -> StatefulSet.class;
      case DaemonSet -> DaemonSet.class;
      case Rollout -> io.fabric8.kubernetes.api.model.GenericKubernetesResource.class;
    };
  }
}
