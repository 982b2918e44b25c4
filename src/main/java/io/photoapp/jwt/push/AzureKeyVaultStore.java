package io.photoapp.jwt.push;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.CredentialUnavailableException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import io.photoapp.jwt.api.AzureKeyVaultProvider;
import io.photoapp.jwt.api.SecretKeyRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Azure Key Vault through the Azure SDK: the secret {@code <prefix>-<path>} holds the current key, the
 * secret {@code <prefix>-<path>-jwks} the JWK set of every key; each write (Set Secret) makes a new
 * version. The JWK set is written first, so that a verifier knows a key before a signer reads it as
 * current. Credentials per store: workload identity with a token minted for the store's
 * ServiceAccount, a client secret from a Secret, or (cluster stores only) the operator's own. The JWK set
 * carries where the keys stand ({@link JwksState}), so that {@link #read} (Get Secret of both, with the
 * same identity) gives back what a lost Secret is rebuilt from. Every reply is read whole within the
 * deadline and capped at 1 MiB ({@link CappedAzureHttp}).
 */
public final class AzureKeyVaultStore implements JwksSetStore {
  static final String KEY_CONTENT_TYPE = "text/plain";
  static final String JWKS_CONTENT_TYPE = "application/jwk-set+json";

  private final ClusterValues values;
  private final AzureCredentials credentials;
  private final Supplier<HttpClient> http;
  private final boolean verifyChallengeResource;
  private final Duration timeout;
  /**
   * A client per store version and identity (the SDK binds a credential to a client); for a client secret,
   * the one built with the secret's current value (by its hash) only.
   */
  private final StoreSessions<SecretClient> clients = new StoreSessions<>();

  /** With the Azure SDK's credentials and the JDK HttpClient transport. */
  public AzureKeyVaultStore(ClusterValues values, Duration timeout) {
    this(values, AzureCredentials.sdk(),
        () -> HttpClient.createDefault(new HttpClientOptions().setConnectTimeout(timeout).setResponseTimeout(timeout)
            .setReadTimeout(timeout)),
        true, timeout);
  }

  /**
   * With given credentials and transport (tests). {@code verifyChallengeResource} false lets the vault
   * be an address other than *.vault.azure.net (a test server), as the SDK's builder allows.
   */
  public AzureKeyVaultStore(ClusterValues values, AzureCredentials credentials, Supplier<HttpClient> http,
      boolean verifyChallengeResource) {
    this(values, credentials, http, verifyChallengeResource, KeyPush.TIMEOUT);
  }

  private AzureKeyVaultStore(ClusterValues values, AzureCredentials credentials, Supplier<HttpClient> http,
      boolean verifyChallengeResource, Duration timeout) {
    this.timeout = timeout;
    this.values = values;
    this.credentials = credentials;
    this.http = http;
    this.verifyChallengeResource = verifyChallengeResource;
  }

  @Override
  public void push(Target target, String owner, PushPayload payload, Optional<String> held) throws PushException {
    Map<String, String> tags = Map.of("managed-by", "jwt-secret-operator", "jwtsecret", owner.replace('/', '.'));
    call(() -> {
      SecretClient client = client(target);
      client.setSecret(new KeyVaultSecret(target.jwksLocation(), JwksState.write(payload))
          .setProperties(new SecretProperties().setContentType(JWKS_CONTENT_TYPE)
              .setTags(with(tags, "key-set", payload.keySet()))));
      if (payload.currentDiffers(held)) {
        client.setSecret(new KeyVaultSecret(target.location(), payload.current().value().reveal())
            .setProperties(new SecretProperties().setContentType(KEY_CONTENT_TYPE)
                .setTags(with(tags, "kid", payload.current().id()))));
      }
      return null;
    });
  }

  /** Reads both secrets back (Get Secret, the latest version) with the identity a push uses. */
  @Override
  public JwksState.Held held(Target target) throws PushException {
    return call(() -> {
      SecretClient client = client(target);
      return new JwksState.Held(get(client, target, target.location()), get(client, target, target.jwksLocation()));
    });
  }

  /**
   * The latest version's value; null when the secret does not exist (or is deleted). From a cluster
   * store, only a secret tagged as written for this namespace: Key Vault names join prefix and path with
   * '-', which namespaces also hold, so namespace {@code team} with path {@code a-jwt} names the secret
   * of namespace {@code team-a} with path {@code jwt}; its key set is not this namespace's to read.
   */
  private static String get(SecretClient client, Target target, String name) throws PushException {
    KeyVaultSecret secret;
    try {
      secret = client.getSecret(name);
    } catch (ResourceNotFoundException e) {
      return null;
    }
    if (target.resolved().cluster() && !writtenFor(secret, target.namespace())) {
      throw new PushException(PushException.Reason.StoreRejected, "Key Vault secret " + name + " is not tagged as written"
          + " for namespace " + target.namespace() + " (tag jwtsecret): a cluster store's secrets are read back only by"
          + " the namespace they were written for");
    }
    return secret.getValue();
  }

  private static boolean writtenFor(KeyVaultSecret secret, String namespace) {
    Map<String, String> tags = secret.getProperties() == null ? null : secret.getProperties().getTags();
    String owner = tags == null ? null : tags.get("jwtsecret");
    return owner != null && owner.startsWith(namespace + ".");
  }

  /** A call to Key Vault, its failures as PushExceptions that carry no value. */
  private interface AzureCall<T> {
    T run() throws PushException;
  }

  private static <T> T call(AzureCall<T> call) throws PushException {
    try {
      return call.run();
    } catch (CredentialUnavailableException e) {
      throw new PushException(PushException.Reason.CredentialsUnavailable, "no Azure credential for the store");
    } catch (ClientAuthenticationException e) {
      throw new PushException(PushException.Reason.AccessDenied, "Key Vault refused the credential (HTTP "
          + (e.getResponse() == null ? "?" : e.getResponse().getStatusCode()) + ")");
    } catch (HttpResponseException e) {
      int code = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
      PushException.Reason reason = code == 401 || code == 403 ? PushException.Reason.AccessDenied
          : code == 429 || code >= 500 ? PushException.Reason.StoreUnreachable : PushException.Reason.StoreRejected;
      throw new PushException(reason, "Key Vault refused (HTTP " + code + "): " + errorOf(e));
    } catch (RuntimeException e) {
      throw unreachable(e);
    }
  }

  /** A failure without an answer: the cause named by its class only (an SDK message may quote a request). */
  private static PushException unreachable(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PushException p) {
        return p;
      }
      if (t instanceof BoundedHttp.TooLarge) {
        return new PushException(PushException.Reason.StoreRejected, "Key Vault answered with more than "
            + BoundedHttp.MAX_REPLY_BYTES / 1024 + " KiB");
      }
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return new PushException(PushException.Reason.StoreUnreachable, "cannot reach Key Vault: " + cause.getClass().getSimpleName());
  }

  @Override
  public void forget(String storeUid) {
    clients.forget(storeUid);
  }

  private SecretClient client(Target target) throws PushException {
    ResolvedStore store = target.resolved();
    AzureKeyVaultProvider z = store.spec().azureKeyVault;
    String identity;
    String variant = "";
    Supplier<TokenCredential> credential;
    if (z.auth.clientSecret != null) {
      AzureKeyVaultProvider.AzureClientSecret s = z.auth.clientSecret;
      String secret = secret(store, s.secretRef);
      identity = "secret";
      variant = sha256(s.tenantId + "/" + s.clientId + "/" + secret);
      credential = () -> credentials.clientSecret(s.tenantId, s.clientId, secret);
    } else if (z.auth.workloadIdentity.serviceAccountRef != null) {
      AzureKeyVaultProvider.AzureWorkloadIdentity w = z.auth.workloadIdentity;
      String namespace = store.serviceAccountNamespace(w.serviceAccountRef, target.namespace());
      identity = "sa:" + namespace + "/" + w.serviceAccountRef.name;
      credential = () -> credentials.clientAssertion(w.tenantId, w.clientId, () -> {
        try {
          return values.serviceAccountToken(namespace, w.serviceAccountRef.name, store.audiences(w.serviceAccountRef));
        } catch (PushException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      });
    } else {
      identity = "operator";
      credential = credentials::operator;
    }
    return clients.get(store, identity, variant, k -> {
      SecretClientBuilder b = new SecretClientBuilder().vaultUrl(z.vaultUrl.strip()).credential(credential.get())
          .httpClient(new CappedAzureHttp(http.get(), timeout))
          // The operator retries with its own backoff, and reports each failure.
          .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
      if (!verifyChallengeResource) {
        b.disableChallengeResourceVerification();
      }
      return b.buildClient();
    });
  }

  private String secret(ResolvedStore store, SecretKeyRef ref) throws PushException {
    String ns = store.objectNamespace(ref.namespace);
    return values.secret(ns, ref.name, ref.key).map(String::strip).filter(s -> !s.isEmpty())
        .orElseThrow(() -> new PushException(PushException.Reason.CredentialsUnavailable, "no Azure client secret: Secret "
            + ns + "/" + ref.name + " has no key " + ref.key));
  }

  private static Map<String, String> with(Map<String, String> tags, String key, String value) {
    Map<String, String> all = new java.util.LinkedHashMap<>(tags);
    all.put(key, value);
    return all;
  }

  /** Key Vault's error code and message, from {"error":{"code":..,"message":..}}, cut short; nothing else of a body. */
  private static String errorOf(HttpResponseException e) {
    if (e.getValue() instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error) {
      return StoreText.of(error.get("code") + ": " + error.get("message"));
    }
    return e.getResponse() == null ? "no answer" : "no error details";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
