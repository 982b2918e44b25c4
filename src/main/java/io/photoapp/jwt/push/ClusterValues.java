package io.photoapp.jwt.push;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a store's identity comes from in the cluster: a key of a Secret or ConfigMap (read straight
 * from the API server at push time: the operator caches only the Secrets it manages), a token minted
 * for a ServiceAccount with the TokenRequest API, or the operator's own ServiceAccount token. The
 * namespaces and names come from a store, never from a JwtSecret; the only file read is the
 * operator's own token, at a fixed path: for a ClusterJwtSecretStore that asks for it, and for the API
 * server's audiences its claims carry, which a token minted for a store may never carry.
 */
public interface ClusterValues {
  /** Where the kubelet puts the operator's own (projected) ServiceAccount token. */
  Path OPERATOR_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
  /** The lifetime asked of a minted token: the API server's minimum, 10 minutes. */
  long TOKEN_SECONDS = 600;

  /** The decoded value of a Secret's key; empty when the Secret or the key is missing. */
  Optional<String> secret(String namespace, String name, String key) throws PushException;

  /** The value of a ConfigMap's key; empty when the ConfigMap or the key is missing. */
  Optional<String> configMap(String namespace, String name, String key) throws PushException;

  /** A token for a ServiceAccount, for these audiences, living at most {@link #TOKEN_SECONDS}. */
  String serviceAccountToken(String namespace, String serviceAccount, List<String> audiences) throws PushException;

  /** The operator's own ServiceAccount token. */
  String operatorToken() throws PushException;

  static ClusterValues of(KubernetesClient client) {
    return of(client, OPERATOR_TOKEN);
  }

  static ClusterValues of(KubernetesClient client, Path operatorToken) {
    return new ClusterValues() {
      @Override
      public Optional<String> secret(String namespace, String name, String key) throws PushException {
        Secret s = read(() -> client.secrets().inNamespace(namespace).withName(name).get(), "Secret", namespace, name);
        Map<String, String> data = s == null || s.getData() == null ? Map.of() : s.getData();
        if (data.containsKey(key)) {
          return Optional.of(new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(s == null || s.getStringData() == null ? null : s.getStringData().get(key));
      }

      @Override
      public Optional<String> configMap(String namespace, String name, String key) throws PushException {
        ConfigMap c = read(() -> client.configMaps().inNamespace(namespace).withName(name).get(), "ConfigMap", namespace, name);
        return Optional.ofNullable(c == null || c.getData() == null ? null : c.getData().get(key));
      }

      @Override
      public String serviceAccountToken(String namespace, String serviceAccount, List<String> audiences)
          throws PushException {
        List<String> api = apiAudiences(operatorToken);
        if (audiences.stream().anyMatch(api::contains)) {
          // StoreCheck refuses the usual names; only the cluster knows its own (GKE, AKS, a custom issuer).
          throw new PushException(PushException.Reason.ConfigurationError, "a token for ServiceAccount " + namespace + "/"
              + serviceAccount + " may not carry the API server's own audience (one of the operator's own token):"
              + " it would be a credential for the cluster");
        }
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(audiences)
            .withExpirationSeconds(TOKEN_SECONDS).endSpec().build();
        TokenRequest answer;
        try {
          answer = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request);
        } catch (KubernetesClientException e) {
          throw new PushException(e.getCode() == 404 ? PushException.Reason.CredentialsUnavailable
              : PushException.Reason.ConfigurationError, "cannot mint a token for ServiceAccount " + namespace + "/"
              + serviceAccount + ": " + why(e));
        }
        String token = answer == null || answer.getStatus() == null ? null : answer.getStatus().getToken();
        if (token == null || token.isBlank()) {
          throw new PushException(PushException.Reason.CredentialsUnavailable,
              "the API server minted no token for ServiceAccount " + namespace + "/" + serviceAccount);
        }
        return token.strip();
      }

      @Override
      public String operatorToken() throws PushException {
        try {
          // Read at every use: the kubelet renews a projected token in place.
          return Files.readString(operatorToken, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
          throw new PushException(PushException.Reason.CredentialsUnavailable,
              "the operator's own ServiceAccount token is not mounted (" + e.getClass().getSimpleName() + ")");
        }
      }
    };
  }

  /**
   * The audiences of the operator's own ServiceAccount token: the API server's own (the kubelet asks for
   * none, so the token carries the server's defaults, whatever the cluster names them). Empty when the token
   * is not mounted or cannot be read; only its claims are decoded, the token itself is used for nothing.
   */
  static List<String> apiAudiences(Path operatorToken) {
    try {
      String[] parts = Files.readString(operatorToken, StandardCharsets.UTF_8).strip().split("\\.");
      if (parts.length != 3) {
        return List.of();
      }
      com.fasterxml.jackson.databind.JsonNode aud = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(Base64.getUrlDecoder().decode(parts[1])).path("aud");
      List<String> audiences = new java.util.ArrayList<>();
      if (aud.isTextual()) {
        audiences.add(aud.asText());
      }
      aud.forEach(a -> audiences.add(a.asText()));
      return audiences;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static <T> T read(java.util.function.Supplier<T> get, String kind, String namespace, String name)
      throws PushException {
    try {
      return get.get();
    } catch (KubernetesClientException e) {
      throw new PushException(PushException.Reason.ConfigurationError, "cannot read " + kind + " " + namespace + "/" + name
          + ": " + why(e));
    }
  }

  private static String why(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getReason() != null ? e.getStatus().getReason() : "HTTP " + e.getCode();
  }
}
