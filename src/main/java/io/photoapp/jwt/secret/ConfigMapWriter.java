package io.photoapp.jwt.secret;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Writes the public keys' ConfigMap as {@link SecretWriter} writes the Secret: a create, or a JSON
 * merge patch of what differs, carrying the resourceVersion it read; nothing when nothing differs.
 */
public class ConfigMapWriter {
  private final KubernetesClient client;
  private final String fieldManager;

  public ConfigMapWriter(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  public ConfigMap create(ConfigMap desired) {
    return client.configMaps().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create();
  }

  /** Patches only what differs; returns the existing ConfigMap when nothing does. */
  public ConfigMap patch(ConfigMap existing, ConfigMap desired) {
    ObjectNode patch = SecretWriter.patchOf(existing, desired);
    if (patch.isEmpty()) {
      return existing;
    }
    ((ObjectNode) patch.with("metadata")).put("resourceVersion", existing.getMetadata().getResourceVersion());
    // resource(existing), not withName(..): fabric8 GETs the object before a patch by name.
    return client.configMaps().inNamespace(existing.getMetadata().getNamespace())
        .resource(existing)
        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(fieldManager).build(),
            Serialization.asJson(patch));
  }
}
