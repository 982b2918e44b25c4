package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.photoapp.jwt.secret.SecretCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a pod template reads the next key (or a JWK set, or the public keys' ConfigMap): only such pods gain from the staged
 * rotation's publish stage, because they verify with the next key before anyone signs with it.
 */
public final class PublishAwareness {
  private PublishAwareness() {}

  public static boolean readsNextKey(PodTemplateSpec template, String secretName, String nextDataKey) {
    return readsNextKey(template, secretName, nextDataKey, null);
  }

  /**
   * The same, where {@code jwksConfigMap} (when not null) names the ConfigMap of the public keys: a
   * pod that reads it verifies with the next key as well.
   */
  public static boolean readsNextKey(PodTemplateSpec template, String secretName, String nextDataKey, String jwksConfigMap) {
    if (template == null || template.getSpec() == null) {
      return false;
    }
    if (jwksConfigMap != null && readsConfigMap(template, jwksConfigMap)) {
      return true;
    }
    Set<String> wanted = Set.of(nextDataKey, SecretCodec.JWKS_KEY);
    for (Container c : containers(template)) {
      for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        var ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
        if (ref != null && secretName.equals(ref.getName()) && wanted.contains(ref.getKey())) {
          return true;
        }
      }
      for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
        if (from.getSecretRef() != null && secretName.equals(from.getSecretRef().getName())) {
          return true;
        }
      }
    }
    for (Volume v : template.getSpec().getVolumes() == null ? List.<Volume>of() : template.getSpec().getVolumes()) {
      if (v.getSecret() != null && secretName.equals(v.getSecret().getSecretName()) && covers(v.getSecret().getItems(), wanted)) {
        return true;
      }
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) {
          if (p.getSecret() != null && secretName.equals(p.getSecret().getName()) && covers(p.getSecret().getItems(), wanted)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The template's containers and init containers. */
  private static List<Container> containers(PodTemplateSpec template) {
    List<Container> containers = new ArrayList<>();
    if (template.getSpec().getContainers() != null) {
      containers.addAll(template.getSpec().getContainers());
    }
    if (template.getSpec().getInitContainers() != null) {
      containers.addAll(template.getSpec().getInitContainers());
    }
    return containers;
  }

  private static boolean readsConfigMap(PodTemplateSpec template, String name) {
    for (Container c : containers(template)) {
      for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        var ref = env.getValueFrom() == null ? null : env.getValueFrom().getConfigMapKeyRef();
        if (ref != null && name.equals(ref.getName())) {
          return true;
        }
      }
      for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
        if (from.getConfigMapRef() != null && name.equals(from.getConfigMapRef().getName())) {
          return true;
        }
      }
    }
    for (Volume v : template.getSpec().getVolumes() == null ? List.<Volume>of() : template.getSpec().getVolumes()) {
      if (v.getConfigMap() != null && name.equals(v.getConfigMap().getName())) {
        return true;
      }
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) {
          if (p.getConfigMap() != null && name.equals(p.getConfigMap().getName())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean covers(List<KeyToPath> items, Set<String> wanted) {
    return items == null || items.isEmpty() || items.stream().map(KeyToPath::getKey).filter(Objects::nonNull).anyMatch(wanted::contains);
  }
}
