package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.kube.SharedEmpties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the informers keep of a labelled Secret or ConfigMap. Anyone who can create a Secret can set
 * the operator's label on it, so the cache keeps the whole object only when a JwtSecret in the cache
 * owns it (its owner annotation names this namespace, and the JwtSecret there has the owner uid);
 * of any other it keeps a pruned copy: the few labels and annotations that the lookups by owner and
 * by key id read, with bounded values, and no data. A reconcile that needs one reads it whole.
 */
public final class CachedCopies {
  /** Longest annotation value a pruned copy keeps; owner names and times are far shorter. */
  static final int MAX_VALUE = 512;
  private static final List<String> KEPT_ANNOTATIONS = List.of(Labels.OWNER, Labels.OWNER_UID, Labels.KEY_CREATED_AT,
      Labels.DATA_KEYS);

  private CachedCopies() {}

  /** The Secret itself when a cached JwtSecret owns it, else a {@link PrunedSecret}. */
  public static Secret forCache(Secret s, Function<ResourceID, Optional<JwtSecret>> jwtSecrets) {
    return ownedByCached(s, jwtSecrets) ? SharedEmpties.secret(s)
        : new PrunedSecret(slimMetadata(s.getMetadata()), s.getType(), s.getImmutable(), SecretIndexes.currentKeyId(s));
  }

  /** The ConfigMap itself when a cached JwtSecret owns it, else a {@link PrunedConfigMap}. */
  public static ConfigMap forCache(ConfigMap c, Function<ResourceID, Optional<JwtSecret>> jwtSecrets) {
    return ownedByCached(c, jwtSecrets) ? SharedEmpties.configMap(c) : new PrunedConfigMap(slimMetadata(c.getMetadata()));
  }

  /** Whether a cached object lacks its data: read it from the API server before using its content. */
  public static boolean isPruned(HasMetadata cached) {
    return cached instanceof PrunedSecret || cached instanceof PrunedConfigMap;
  }

  /**
   * Whether the JwtSecret that the object's owner annotation names, looked up in the object's own
   * namespace only, is in the cache and owns it (label, owner and owner uid all match).
   */
  static boolean ownedByCached(HasMetadata o, Function<ResourceID, Optional<JwtSecret>> jwtSecrets) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    String ns = o.getMetadata().getNamespace();
    String owner = a == null ? null : a.get(Labels.OWNER);
    if (ns == null || owner == null || !owner.startsWith(ns + "/") || owner.length() == ns.length() + 1) {
      return false;
    }
    return jwtSecrets.apply(new ResourceID(owner.substring(ns.length() + 1), ns))
        .filter(js -> Ownership.of(o, js) == Ownership.OURS)
        // Only the object the JwtSecret names: copying its owner marks onto other Secrets of the
        // namespace must not get their data cached whole.
        .filter(js -> o.getMetadata().getName().equals(o instanceof ConfigMap
            ? JwksConfigMap.nameFor(secretName(js)) : secretName(js))).isPresent();
  }

  private static String secretName(JwtSecret js) {
    return js.getSpec() != null && js.getSpec().secret != null && js.getSpec().secret.name != null
        && !js.getSpec().secret.name.isBlank() ? js.getSpec().secret.name : js.getMetadata().getName();
  }

  private static ObjectMeta slimMetadata(ObjectMeta m) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.getLabels() != null && m.getLabels().containsKey(Labels.MANAGED)) {
      labels.put(Labels.MANAGED, bounded(m.getLabels().get(Labels.MANAGED)));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    for (String name : KEPT_ANNOTATIONS) {
      String value = m.getAnnotations() == null ? null : m.getAnnotations().get(name);
      if (value != null && value.length() <= MAX_VALUE) {
        annotations.put(name, value);
      }
    }
    return SharedEmpties.metadata(new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace())
        .withUid(m.getUid()).withResourceVersion(m.getResourceVersion()).withGeneration(m.getGeneration())
        .withCreationTimestamp(m.getCreationTimestamp()).withDeletionTimestamp(m.getDeletionTimestamp())
        .withLabels(labels).withAnnotations(annotations).build());
  }

  private static String bounded(String value) {
    return value == null || value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
  }
}
