package io.photoapp.jwt.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.kube.JsonMergePatch;

/**
 * Writes status, and nothing when nothing changed. The whole status goes in one JSON patch
 * ({@code add /status}): a JSON merge patch would be the natural choice, but the fabric8 mock
 * server appends to arrays on merge (conditions, workloads) where RFC 7386 replaces them. No field
 * manager is sent: the mock server ignores a status patch that carries query parameters.
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
    ArrayNode patch = Serialization.jsonMapper().createArrayNode();
    patch.addObject().put("op", "add").put("path", "/status").set("value", after);
    // resource(..), not withName(..): fabric8 GETs the object before a patch by name.
    client.resources(JwtSecret.class).inNamespace(resource.getMetadata().getNamespace())
        .resource(resource).subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
    return true;
  }
}
