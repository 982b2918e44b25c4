package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photoapp.jwt.api.CaBundle;
import io.photoapp.jwt.api.KeyReference;
import io.photoapp.jwt.api.SecretKeyRef;
import io.photoapp.jwt.api.VaultProvider;
import io.photoapp.jwt.rotation.KeyState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HashiCorp Vault, KV secrets engine version 2, over its HTTP API with the JDK's HttpClient: a login
 * (Kubernetes auth with a token minted for the store's ServiceAccount, or the operator's own in a
 * cluster store that says so) or a token from a Secret, then one write of every field at
 * {@code /v1/<mount>/data/<prefix>/<path>}, which makes a new version of the secret. Fields:
 * {@code jwt-secret-key} (the current key), {@code kid}, {@code alg}, {@code jwt-secret-key-next} and
 * {@code jwt-secret-key-previous} while those keys exist, {@code jwks} (the JWK set, as a JSON string) and
 * {@code state} (phase, creation times and rotation count, as JSON: what a Secret rebuilt from the store
 * needs). {@link #read} reads the latest version back with a GET of the same path.
 */
public final class VaultStore implements Store {
  public static final String CURRENT_FIELD = "jwt-secret-key";
  public static final String NEXT_FIELD = "jwt-secret-key-next";
  public static final String PREVIOUS_FIELD = "jwt-secret-key-previous";
  public static final String KID_FIELD = "kid";
  public static final String ALG_FIELD = "alg";
  public static final String JWKS_FIELD = "jwks";
  /** Where the keys stand (phase, creation times, rotation count: the Secret's state annotations, no key), as JSON. */
  public static final String STATE_FIELD = "state";
  public static final String DEFAULT_MOUNT = "secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClusterValues values;
  private final Duration timeout;
  /** One client per store version, for the CA bundle (by its hash) it was last built with. */
  private final StoreSessions<HttpClient> clients = new StoreSessions<>();

  public VaultStore(ClusterValues values, Duration timeout) {
    this.values = values;
    this.timeout = timeout;
  }

  public static String mount(VaultProvider v) {
    return v.mount == null || v.mount.isBlank() ? DEFAULT_MOUNT : v.mount;
  }

  @Override
  public void push(Target target, String owner, PushPayload payload, Optional<String> held) throws PushException {
    ResolvedStore store = target.resolved();
    VaultProvider v = store.spec().vault;
    String base = v.address.strip().replaceAll("/+$", "");
    HttpClient http = client(store, v.caBundle);
    String token = token(target, v, http, base);
    Map<String, Object> body = Map.of("data", fields(payload));
    HttpResponse<String> response = send(http, request(base + "/v1/" + mount(v) + "/data/" + target.location(), v)
        .header("X-Vault-Token", token).POST(json(body)).build());
    check(response, "write to " + mount(v) + "/" + target.location());
  }

  @Override
  public Optional<KeyState> read(Target target) throws PushException {
    Optional<Map<String, String>> data = fetch(target);
    if (data.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> d = data.get();
    return StoreState.keyState(d.get(CURRENT_FIELD), d.get(ALG_FIELD), d.get(NEXT_FIELD), d.get(PREVIOUS_FIELD), d.get(STATE_FIELD));
  }

  /**
   * The latest version, field by field, against what a push of the payload writes (gone: different); the
   * state compared without what the retire stage changes without a push.
   */
  @Override
  public Comparison compare(Target target, PushPayload payload) throws PushException {
    Optional<Map<String, String>> found = fetch(target);
    if (found.isEmpty()) {
      return Comparison.DIFFERENT;
    }
    Map<String, String> held = new LinkedHashMap<>(found.get());
    Map<String, String> wanted = fields(payload);
    String heldState = held.remove(STATE_FIELD);
    String wantedState = wanted.remove(STATE_FIELD);
    if (!held.equals(wanted)) {
      return Comparison.DIFFERENT;
    }
    if (heldState == null) {
      return Comparison.WITHOUT_STATE;
    }
    return StoreState.comparable(heldState).equals(StoreState.comparable(wantedState)) ? Comparison.SAME : Comparison.DIFFERENT;
  }

  /** The text fields of the latest version; empty when the store holds nothing at the location. */
  private Optional<Map<String, String>> fetch(Target target) throws PushException {
    ResolvedStore store = target.resolved();
    VaultProvider v = store.spec().vault;
    String base = v.address.strip().replaceAll("/+$", "");
    HttpClient http = client(store, v.caBundle);
    String token = token(target, v, http, base);
    HttpResponse<String> response = send(http, request(base + "/v1/" + mount(v) + "/data/" + target.location(), v)
        .header("X-Vault-Token", token).GET().build());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    check(response, "read of " + mount(v) + "/" + target.location());
    Map<String, String> data = new LinkedHashMap<>();
    try {
      JsonNode fields = JSON.readTree(response.body()).path("data").path("data");
      if (!fields.isObject()) {
        return Optional.empty();
      }
      fields.fields().forEachRemaining(e -> {
        if (e.getValue().isTextual()) {
          data.put(e.getKey(), e.getValue().asText());
        }
      });
    } catch (IOException e) {
      throw new PushException(PushException.Reason.StoreRejected, "Vault's answer to the read is not JSON");
    }
    return Optional.of(data);
  }

  @Override
  public void forget(String storeUid) {
    clients.forget(storeUid);
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
    data.put(STATE_FIELD, StoreState.json(payload.state()));
    return data;
  }

  private String token(Target target, VaultProvider v, HttpClient http, String base) throws PushException {
    ResolvedStore store = target.resolved();
    if (v.auth.tokenSecretRef != null) {
      SecretKeyRef ref = v.auth.tokenSecretRef;
      String ns = store.objectNamespace(ref.namespace);
      return values.secret(ns, ref.name, ref.key).map(String::strip).filter(t -> !t.isEmpty())
          .orElseThrow(() -> new PushException(PushException.Reason.CredentialsUnavailable, "no Vault token: Secret "
              + ns + "/" + ref.name + " has no key " + ref.key));
    }
    VaultProvider.VaultKubernetesAuth k = v.auth.kubernetes;
    String jwt = k.serviceAccountRef != null
        ? values.serviceAccountToken(store.serviceAccountNamespace(k.serviceAccountRef, target.namespace()),
            k.serviceAccountRef.name, store.audiences(k.serviceAccountRef))
        : values.operatorToken();
    String mountPath = k.mountPath == null || k.mountPath.isBlank() ? VaultProvider.VaultKubernetesAuth.DEFAULT_MOUNT : k.mountPath;
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

  private HttpRequest.Builder request(String url, VaultProvider v) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("X-Vault-Request", "true");
    if (v.namespace != null && !v.namespace.isBlank()) {
      b.header("X-Vault-Namespace", v.namespace);
    }
    return b;
  }

  private HttpResponse<String> send(HttpClient http, HttpRequest request) throws PushException {
    return BoundedHttp.send(http, request, timeout, "Vault");
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

  /** Vault's {"errors":[...]} as text, each cut short; nothing else of a body is shown. */
  private static String errors(String body) {
    try {
      JsonNode errors = JSON.readTree(body == null ? "" : body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        StringBuilder sb = new StringBuilder(": ");
        int shown = 0;
        for (JsonNode e : errors) {
          if (shown++ == 3) {
            break;
          }
          sb.append(shown > 1 ? "; " : "").append(StoreText.of(e.asText()));
        }
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

  private HttpClient client(ResolvedStore store, CaBundle ca) throws PushException {
    String pem = caPem(store, ca);
    String key = pem == null ? "" : sha256(pem);
    PushException[] failed = new PushException[1];
    HttpClient client = clients.get(store, "http", key, k -> {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout)
          // A redirect could carry the token to another host: refused, reported as the store's answer.
          .followRedirects(HttpClient.Redirect.NEVER);
      if (pem != null) {
        try {
          b.sslContext(TlsTrust.trusting(pem, "caBundle"));
        } catch (PushException e) {
          failed[0] = e;
          return null;
        }
      }
      return b.build();
    });
    if (failed[0] != null) {
      throw failed[0];
    }
    return client;
  }

  private String caPem(ResolvedStore store, CaBundle ca) throws PushException {
    if (ca == null) {
      return null;
    }
    if (ca.pem != null) {
      return ca.pem;
    }
    KeyReference ref = ca.secretRef != null ? ca.secretRef : ca.configMapRef;
    String ns = store.objectNamespace(ref.namespace);
    Optional<String> pem = ca.secretRef != null ? values.secret(ns, ref.name, ref.key) : values.configMap(ns, ref.name, ref.key);
    return pem.orElseThrow(() -> new PushException(PushException.Reason.ConfigurationError, "caBundle: "
        + (ca.secretRef != null ? "Secret " : "ConfigMap ") + ns + "/" + ref.name + " has no key " + ref.key));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
