package io.photoapp.jwt.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.kube.JsonMergePatch;

/**
 * Writes an object a JwtSecret owns (its Secret, its public keys' ConfigMap): a create, or a JSON
 * merge patch of what differs that carries the resourceVersion it read, so a concurrent change fails
 * with 409 and the reconcile re-reads and decides again; nothing when nothing differs.
 *
 * <p>A write whose reply is lost (a dropped connection, a timeout) may have landed: the client sends
 * it again, and the repeat fails with 409 (AlreadyExists, or a resourceVersion that moved on). So a
 * failed write reads the object back, and when it already holds what was sent, the write counts as
 * done; otherwise the reconcile announces nothing for a rotation that happened.
 *
 * <p>A failed write is reported without what the server said: the API server, or an admission
 * webhook in front of it, may quote the request, which holds the keys, and the SDK logs the
 * exception of a failed reconcile with its message.
 */
public final class OwnedObjectWriter<T extends HasMetadata> {
  private final KubernetesClient client;
  private final Class<T> type;
  private final String fieldManager;

  private OwnedObjectWriter(KubernetesClient client, Class<T> type, String fieldManager) {
    this.client = client;
    this.type = type;
    this.fieldManager = fieldManager;
  }

  public static OwnedObjectWriter<Secret> secrets(KubernetesClient client, String fieldManager) {
    return new OwnedObjectWriter<>(client, Secret.class, fieldManager);
  }

  public static OwnedObjectWriter<ConfigMap> configMaps(KubernetesClient client, String fieldManager) {
    return new OwnedObjectWriter<>(client, ConfigMap.class, fieldManager);
  }

  /** The object as the API server has it; null when there is none. */
  public T read(String namespace, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  /** Creates it; {@link AlreadyExists} when one of that name holds something else. */
  public T create(T desired) {
    try {
      return client.resources(type).inNamespace(desired.getMetadata().getNamespace()).resource(desired).create();
    } catch (KubernetesClientException e) {
      return landedAnyway(e, desired, "create");
    }
  }

  /** Patches only what differs; returns the existing object when nothing does. */
  public T patch(T existing, T desired) {
    ObjectNode patch = patchOf(existing, desired);
    if (patch.isEmpty()) {
      return existing;
    }
    ((ObjectNode) patch.with("metadata")).put("resourceVersion", existing.getMetadata().getResourceVersion());
    // resource(existing), not withName(..): fabric8 GETs the object before a patch by name. Only the
    // patch is sent; the resourceVersion in it is what makes a concurrent change fail with 409.
    try {
      return client.resources(type).inNamespace(existing.getMetadata().getNamespace())
          .resource(existing)
          .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(fieldManager).build(),
              Serialization.asJson(patch));
    } catch (KubernetesClientException e) {
      return landedAnyway(e, desired, "patch");
    }
  }

  /**
   * The object as it is, when a write that failed with a conflict or an unknown outcome had landed
   * on an earlier try (it holds what was sent); otherwise the failure.
   */
  private T landedAnyway(KubernetesClientException failure, T desired, String verb) {
    KubernetesClientException reported = withoutServerMessage(failure, verb, desired);
    int code = failure.getCode();
    if (code != 409 && code != 0 && code < 500) {
      throw reported;
    }
    T now;
    try {
      now = read(desired.getMetadata().getNamespace(), desired.getMetadata().getName());
    } catch (KubernetesClientException e) {
      reported.addSuppressed(withoutServerMessage(e, "read", desired));
      throw reported;
    }
    if (now != null && patchOf(now, desired).isEmpty()) {
      return now;
    }
    if (now != null && "create".equals(verb)) {
      throw new AlreadyExists(reported, now);
    }
    throw reported;
  }

  /**
   * A create found an object of that name that holds something else: one the informer does not
   * cache (not labelled as managed), or one it has not delivered yet. The caller observes again.
   */
  public static final class AlreadyExists extends KubernetesClientException {
    private final transient HasMetadata existing;

    AlreadyExists(KubernetesClientException reported, HasMetadata existing) {
      super(reported.getMessage(), reported.getCode(), reported.getStatus());
      setStackTrace(reported.getStackTrace());
      this.existing = existing;
    }

    public HasMetadata existing() {
      return existing;
    }
  }

  /** The failure with its code and reason, but neither the server's message nor its details (they may quote the Secret). */
  static KubernetesClientException withoutServerMessage(KubernetesClientException e, String verb, HasMetadata object) {
    Status status = e.getStatus();
    String reason = status == null || status.getReason() == null || status.getReason().isBlank() ? "" : " " + status.getReason();
    String answer = e.getCode() == 0 ? "no answer" : "HTTP " + e.getCode() + reason;
    KubernetesClientException safe = new KubernetesClientException(verb + " of " + (object instanceof ConfigMap ? "ConfigMap " : "Secret ")
        + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName() + " failed: " + answer
        + " (the server's message is left out: it may quote the keys)",
        e.getCode(), status == null ? null : new StatusBuilder().withCode(status.getCode()).withReason(status.getReason())
            .withStatus(status.getStatus()).build());
    safe.setStackTrace(e.getStackTrace());
    return safe;
  }

  /** The merge patch over the fields the operator manages: data, labels, annotations, ownerReferences (of a Secret or a ConfigMap). */
  public static ObjectNode patchOf(HasMetadata existing, HasMetadata desired) {
    return JsonMergePatch.diff(managedFields(existing), managedFields(desired));
  }

  private static ObjectNode managedFields(HasMetadata object) {
    ObjectNode node = Serialization.jsonMapper().createObjectNode();
    ObjectNode meta = node.putObject("metadata");
    JsonNode full = Serialization.jsonMapper().valueToTree(object);
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
