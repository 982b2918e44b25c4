package io.photoapp.jwt.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.kube.JsonMergePatch;

/**
 * Writes status with a JSON merge patch of what changed (removed fields as null), and nothing when
 * nothing did. No field manager is sent: the fabric8 mock server ignores a status patch that
 * carries query parameters, and status is the operator's alone.
 */
public class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Returns true when a patch was sent. */
  public boolean write(JwtSecret resource, JwtSecretStatus status) {
    JsonNode before = Serialization.jsonMapper().valueToTree(
        resource.getStatus() == null ? new JwtSecretStatus() : resource.getStatus());
    JsonNode after = Serialization.jsonMapper().valueToTree(status);
    ObjectNode diff = JsonMergePatch.diff(before, after);
    if (diff.isEmpty()) {
      return false;
    }
    ObjectNode patch = Serialization.jsonMapper().createObjectNode();
    patch.set("status", diff);
    // resource(..), not withName(..): fabric8 GETs the object before a patch by name.
    client.resources(JwtSecret.class).inNamespace(resource.getMetadata().getNamespace())
        .resource(resource).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    return true;
  }
}
