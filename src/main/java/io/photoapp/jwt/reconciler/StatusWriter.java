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

  /** The JwtSecret as the server returned it after the patch; empty when nothing changed and nothing was sent. */
  public java.util.Optional<JwtSecret> write(JwtSecret resource, JwtSecretStatus status) {
    JsonNode before = Serialization.jsonMapper().valueToTree(
        resource.getStatus() == null ? new JwtSecretStatus() : resource.getStatus());
    JsonNode after = Serialization.jsonMapper().valueToTree(status);
    ObjectNode diff = JsonMergePatch.diff(before, after);
    if (diff.isEmpty()) {
      return java.util.Optional.empty();
    }
    ObjectNode patch = Serialization.jsonMapper().createObjectNode();
    patch.set("status", diff);
    // resource(..), not withName(..): fabric8 GETs the object before a patch by name.
    return java.util.Optional.ofNullable(client.resources(JwtSecret.class).inNamespace(resource.getMetadata().getNamespace())
        .resource(resource).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch)));
  }
}
