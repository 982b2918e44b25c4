package io.photoapp.jwt.push;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.photoapp.jwt.api.KeyReference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what push targets refer to in the JwtSecret's namespace: a Vault token in a Secret, a CA
 * bundle in a Secret or ConfigMap. Read straight from the API server at push time (the operator's
 * Secret informer caches only the Secrets it manages).
 */
public interface ClusterValues {
  /** The decoded value of a Secret's key; empty when the Secret or the key is missing. */
  Optional<String> secret(String namespace, KeyReference ref) throws PushException;

  /** The value of a ConfigMap's key; empty when the ConfigMap or the key is missing. */
  Optional<String> configMap(String namespace, KeyReference ref) throws PushException;

  static ClusterValues of(KubernetesClient client) {
    return new ClusterValues() {
      @Override
      public Optional<String> secret(String namespace, KeyReference ref) throws PushException {
        Secret s = read(() -> client.secrets().inNamespace(namespace).withName(ref.name).get(), "Secret", ref);
        Map<String, String> data = s == null || s.getData() == null ? Map.of() : s.getData();
        if (data.containsKey(ref.key)) {
          return Optional.of(new String(Base64.getDecoder().decode(data.get(ref.key)), StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(s == null || s.getStringData() == null ? null : s.getStringData().get(ref.key));
      }

      @Override
      public Optional<String> configMap(String namespace, KeyReference ref) throws PushException {
        ConfigMap c = read(() -> client.configMaps().inNamespace(namespace).withName(ref.name).get(), "ConfigMap", ref);
        return Optional.ofNullable(c == null || c.getData() == null ? null : c.getData().get(ref.key));
      }
    };
  }

  private static <T> T read(java.util.function.Supplier<T> get, String kind, KeyReference ref) throws PushException {
    try {
      return get.get();
    } catch (KubernetesClientException e) {
      String why = e.getStatus() != null && e.getStatus().getReason() != null ? e.getStatus().getReason() : "HTTP " + e.getCode();
      throw new PushException(PushException.Reason.ConfigurationError, "cannot read " + kind + " " + ref.name + ": " + why);
    }
  }
}
