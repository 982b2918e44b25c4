package io.photoapp.jwt.push;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import io.photoapp.jwt.api.AzureKeyVaultPush;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Azure Key Vault through the Azure SDK: the secret {@code secretName} holds the current key, the
 * secret {@code jwksSecretName} the JWK set of every key; each write (Set Secret) makes a new version.
 * The JWK set is written first, so that a verifier knows a key before a signer reads it as current.
 * Credentials come from DefaultAzureCredential (environment, workload identity, managed identity, ...).
 */
public final class AzureKeyVaultStore implements Store {
  static final String KEY_CONTENT_TYPE = "text/plain";
  static final String JWKS_CONTENT_TYPE = "application/jwk-set+json";

  private final Supplier<TokenCredential> credential;
  private final Supplier<HttpClient> http;
  private final boolean verifyChallengeResource;
  private final Map<String, SecretClient> clients = new ConcurrentHashMap<>();
  private volatile TokenCredential resolved;

  /** With DefaultAzureCredential and the JDK HttpClient transport. */
  public AzureKeyVaultStore(Duration timeout) {
    this(() -> new DefaultAzureCredentialBuilder().build(),
        () -> HttpClient.createDefault(new HttpClientOptions().setConnectTimeout(timeout).setResponseTimeout(timeout)),
        true);
  }

  /**
   * With a given credential and transport (tests). {@code verifyChallengeResource} false lets the
   * vault be an address other than *.vault.azure.net (a test server), as the SDK's builder allows.
   */
  public AzureKeyVaultStore(Supplier<TokenCredential> credential, Supplier<HttpClient> http, boolean verifyChallengeResource) {
    this.credential = credential;
    this.http = http;
    this.verifyChallengeResource = verifyChallengeResource;
  }

  @Override
  public void push(Target target, String namespace, String owner, PushPayload payload, Optional<String> held)
      throws PushException {
    AzureKeyVaultPush z = target.spec().azureKeyVault;
    SecretClient client = client(z.vaultUrl.strip());
    Map<String, String> tags = Map.of("managed-by", "jwt-secret-operator", "jwtsecret", owner.replace('/', '.'));
    try {
      client.setSecret(new KeyVaultSecret(Target.azureJwksSecretName(z), payload.jwks())
          .setProperties(new SecretProperties().setContentType(JWKS_CONTENT_TYPE)
              .setTags(with(tags, "key-set", payload.keySet()))));
      if (payload.currentDiffers(held)) {
        client.setSecret(new KeyVaultSecret(z.secretName, payload.current().value().reveal())
            .setProperties(new SecretProperties().setContentType(KEY_CONTENT_TYPE)
                .setTags(with(tags, "kid", payload.current().id()))));
      }
    } catch (CredentialUnavailableException e) {
      throw new PushException(PushException.Reason.CredentialsUnavailable,
          "no Azure credential in DefaultAzureCredential's chain (environment, workload identity, managed identity, ...)");
    } catch (ClientAuthenticationException e) {
      throw new PushException(PushException.Reason.AccessDenied, "Key Vault refused the credential (HTTP "
          + (e.getResponse() == null ? "?" : e.getResponse().getStatusCode()) + ")");
    } catch (HttpResponseException e) {
      int code = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
      PushException.Reason reason = code == 401 || code == 403 ? PushException.Reason.AccessDenied
          : code == 429 || code >= 500 ? PushException.Reason.StoreUnreachable : PushException.Reason.StoreRejected;
      throw new PushException(reason, "Key Vault refused (HTTP " + code + "): " + errorOf(e));
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new PushException(PushException.Reason.StoreUnreachable, "cannot reach Key Vault: " + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }
  }

  private static Map<String, String> with(Map<String, String> tags, String key, String value) {
    Map<String, String> all = new java.util.LinkedHashMap<>(tags);
    all.put(key, value);
    return all;
  }

  /** Key Vault's error code and message, from {"error":{"code":..,"message":..}}; nothing else of a body. */
  private static String errorOf(HttpResponseException e) {
    if (e.getValue() instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error) {
      return error.get("code") + ": " + error.get("message");
    }
    return e.getResponse() == null ? "no answer" : "no error details";
  }

  private SecretClient client(String vaultUrl) {
    return clients.computeIfAbsent(vaultUrl, url -> {
      SecretClientBuilder b = new SecretClientBuilder().vaultUrl(url).credential(credential())
          .httpClient(http.get())
          // The operator retries with its own backoff, and reports each failure.
          .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
      if (!verifyChallengeResource) {
        b.disableChallengeResourceVerification();
      }
      return b.buildClient();
    });
  }

  private TokenCredential credential() {
    if (resolved == null) {
      resolved = credential.get();
    }
    return resolved;
  }
}
