package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photoapp.jwt.api.CaBundle;
import io.photoapp.jwt.api.VaultKubernetesAuth;
import io.photoapp.jwt.api.VaultPush;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * HashiCorp Vault, KV secrets engine version 2, over its HTTP API with the JDK's HttpClient: a login
 * (Kubernetes auth) or a token from a Secret, then one write of every field, which makes a new
 * version of the secret. Fields: {@code jwt-secret-key} (the current key), {@code kid},
 * {@code alg}, {@code jwt-secret-key-next} and {@code jwt-secret-key-previous} while those keys
 * exist, and {@code jwks} (the JWK set of every key, as a JSON string).
 */
public final class VaultStore implements Store {
  public static final String CURRENT_FIELD = "jwt-secret-key";
  public static final String NEXT_FIELD = "jwt-secret-key-next";
  public static final String PREVIOUS_FIELD = "jwt-secret-key-previous";
  public static final String KID_FIELD = "kid";
  public static final String ALG_FIELD = "alg";
  public static final String JWKS_FIELD = "jwks";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClusterValues values;
  private final Duration timeout;
  /** One client per CA bundle (by its hash); the JVM's trusted CAs under "". */
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

  public VaultStore(ClusterValues values, Duration timeout) {
    this.values = values;
    this.timeout = timeout;
  }

  @Override
  public void push(Target target, String namespace, String owner, PushPayload payload, Optional<String> held)
      throws PushException {
    VaultPush v = target.spec().vault;
    String base = v.address.strip().replaceAll("/+$", "");
    HttpClient http = client(v.caBundle, namespace);
    String token = token(v, namespace, http, base);
    Map<String, Object> body = Map.of("data", fields(payload));
    HttpResponse<String> response = send(http, request(base + "/v1/" + Target.vaultMount(v) + "/data/" + v.path, v)
        .header("X-Vault-Token", token).POST(json(body)).build());
    check(response, "write to " + Target.vaultMount(v) + "/" + v.path);
  }

  /** The secret's fields for a payload. */
  static Map<String, String> fields(PushPayload payload) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CURRENT_FIELD, payload.current().value().reveal());
    data.put(KID_FIELD, payload.current().id());
    data.put(ALG_FIELD, payload.current().algorithm().name());
    payload.next().ifPresent(k -> data.put(NEXT_FIELD, k.value().reveal()));
    payload.previous().ifPresent(k -> data.put(PREVIOUS_FIELD, k.value().reveal()));
    data.put(JWKS_FIELD, payload.jwks());
    return data;
  }

  private String token(VaultPush v, String namespace, HttpClient http, String base) throws PushException {
    if (v.auth.tokenSecretRef != null) {
      String token = values.secret(namespace, v.auth.tokenSecretRef).map(String::strip).filter(t -> !t.isEmpty())
          .orElseThrow(() -> new PushException(PushException.Reason.CredentialsUnavailable, "no Vault token: Secret "
              + v.auth.tokenSecretRef.name + " has no key " + v.auth.tokenSecretRef.key));
      return token;
    }
    VaultKubernetesAuth k = v.auth.kubernetes;
    String tokenPath = k.tokenPath == null || k.tokenPath.isBlank() ? VaultKubernetesAuth.DEFAULT_TOKEN_PATH : k.tokenPath;
    String jwt;
    try {
      // Read at every login: the kubelet renews a projected token in place.
      jwt = Files.readString(Path.of(tokenPath), StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      throw new PushException(PushException.Reason.CredentialsUnavailable,
          "cannot read the service-account token file " + tokenPath + " (" + e.getClass().getSimpleName() + ")");
    }
    String mountPath = k.mountPath == null || k.mountPath.isBlank() ? VaultKubernetesAuth.DEFAULT_MOUNT : k.mountPath;
    HttpResponse<String> response = send(http, request(base + "/v1/auth/" + mountPath + "/login", v)
        .POST(json(Map.of("role", k.role, "jwt", jwt))).build());
    check(response, "login with role " + k.role + " at auth/" + mountPath);
    try {
      String token = JSON.readTree(response.body()).path("auth").path("client_token").asText("");
      if (token.isEmpty()) {
        throw new PushException(PushException.Reason.StoreRejected, "Vault's login answer has no client token");
      }
      return token;
    } catch (IOException e) {
      throw new PushException(PushException.Reason.StoreRejected, "Vault's login answer is not JSON");
    }
  }

  private HttpRequest.Builder request(String url, VaultPush v) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("X-Vault-Request", "true");
    if (v.namespace != null && !v.namespace.isBlank()) {
      b.header("X-Vault-Namespace", v.namespace);
    }
    return b;
  }

  private HttpResponse<String> send(HttpClient http, HttpRequest request) throws PushException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new PushException(PushException.Reason.StoreUnreachable, "Vault did not answer within " + timeout.toSeconds() + "s");
    } catch (SSLException e) {
      throw new PushException(PushException.Reason.StoreUnreachable, "TLS with Vault failed: " + e.getMessage());
    } catch (IOException e) {
      throw new PushException(PushException.Reason.StoreUnreachable, "cannot reach Vault: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PushException(PushException.Reason.StoreUnreachable, "interrupted");
    }
  }

  private static void check(HttpResponse<String> response, String what) throws PushException {
    int code = response.statusCode();
    if (code >= 200 && code < 300) {
      return;
    }
    String text = what + " refused (HTTP " + code + errors(response.body()) + ")";
    PushException.Reason reason;
    if (code == 401 || code == 403) {
      reason = PushException.Reason.AccessDenied;
    } else if (code == 429 || code >= 500) {
      reason = PushException.Reason.StoreUnreachable;
    } else {
      reason = PushException.Reason.StoreRejected;
    }
    throw new PushException(reason, text);
  }

  /** Vault's {"errors":[...]} as text; nothing else of a body is shown. */
  private static String errors(String body) {
    try {
      JsonNode errors = JSON.readTree(body == null ? "" : body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        StringBuilder sb = new StringBuilder(": ");
        errors.forEach(e -> sb.append(sb.length() > 2 ? "; " : "").append(e.asText()));
        return sb.toString();
      }
    } catch (IOException e) {
      // Not JSON: the status code says enough.
    }
    return "";
  }

  private static HttpRequest.BodyPublisher json(Object value) throws PushException {
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new PushException(PushException.Reason.StoreRejected, "cannot write the request");
    }
  }

  private HttpClient client(CaBundle ca, String namespace) throws PushException {
    String pem = caPem(ca, namespace);
    String key = pem == null ? "" : sha256(pem);
    HttpClient existing = clients.get(key);
    if (existing != null) {
      return existing;
    }
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout)
        // A redirect could carry the token to another host: refused, reported as the store's answer.
        .followRedirects(HttpClient.Redirect.NEVER);
    if (pem != null) {
      SSLContext context = TlsTrust.trusting(pem, "caBundle");
      b.sslContext(context);
    }
    HttpClient client = b.build();
    clients.put(key, client);
    return client;
  }

  private String caPem(CaBundle ca, String namespace) throws PushException {
    if (ca == null) {
      return null;
    }
    if (ca.pem != null) {
      return ca.pem;
    }
    if (ca.secretRef != null) {
      return values.secret(namespace, ca.secretRef).orElseThrow(() -> new PushException(
          PushException.Reason.ConfigurationError, "caBundle: Secret " + ca.secretRef.name + " has no key " + ca.secretRef.key));
    }
    return values.configMap(namespace, ca.configMapRef).orElseThrow(() -> new PushException(
        PushException.Reason.ConfigurationError, "caBundle: ConfigMap " + ca.configMapRef.name + " has no key " + ca.configMapRef.key));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
