package io.photoapp.jwt.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.kube.JsonMergePatch;

/**
 * Writes the Secret: a create, or a JSON merge patch that carries the resourceVersion it read, so a
 * concurrent change fails with 409 and the reconcile re-reads and decides again.
 */
public class SecretWriter {
  private final KubernetesClient client;
  private final String fieldManager;

  public SecretWriter(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  public Secret create(Secret desired) {
    return client.secrets().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create();
  }

  /** Patches only what differs; returns the existing Secret when nothing does. */
  public Secret patch(Secret existing, Secret desired) {
    ObjectNode patch = patchOf(existing, desired);
    if (patch.isEmpty()) {
      return existing;
    }
    ((ObjectNode) patch.with("metadata")).put("resourceVersion", existing.getMetadata().getResourceVersion());
    // resource(existing), not withName(..): fabric8 GETs the object before a patch by name. Only the
    // patch is sent; the resourceVersion in it is what makes a concurrent change fail with 409.
    return client.secrets().inNamespace(existing.getMetadata().getNamespace())
        .resource(existing)
        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(fieldManager).build(),
            Serialization.asJson(patch));
  }

  /** The merge patch over the fields the operator manages: data, labels, annotations, ownerReferences (of a Secret or a ConfigMap). */
  public static ObjectNode patchOf(HasMetadata existing, HasMetadata desired) {
    return JsonMergePatch.diff(managedFields(existing), managedFields(desired));
  }

  private static ObjectNode managedFields(HasMetadata secret) {
    ObjectNode node = Serialization.jsonMapper().createObjectNode();
    ObjectNode meta = node.putObject("metadata");
    JsonNode full = Serialization.jsonMapper().valueToTree(secret);
    copy(full.path("metadata"), meta, "labels");
    copy(full.path("metadata"), meta, "annotations");
    copy(full.path("metadata"), meta, "ownerReferences");
    copy(full, node, "data");
    return node;
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
      to.set(field, value);
    }
  }
}
