package io.photoapp.jwt.push;

import io.photoapp.jwt.api.AwsSecretsManagerPush;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * AWS Secrets Manager through the AWS SDK v2: the secret {@code secretId} holds the current key as its
 * SecretString, the secret {@code jwksSecretId} the JWK set of every key. Each is written with
 * PutSecretValue (a new version, AWSCURRENT), and created with CreateSecret when it does not exist
 * yet. The JWK set is written first, so that a verifier knows a key before a signer reads it as current.
 */
public final class AwsSecretsManagerStore implements Store {
  /** Error codes that mean the credentials or their rights were refused. */
  private static final Set<String> ACCESS_ERRORS = Set.of("AccessDeniedException", "UnrecognizedClientException",
      "InvalidSignatureException", "IncompleteSignature", "InvalidClientTokenId", "ExpiredTokenException",
      "SignatureDoesNotMatch", "MissingAuthenticationToken", "AccessDenied");

  private final Supplier<AwsCredentialsProvider> credentials;
  private final Duration timeout;
  private final Map<String, SecretsManagerClient> clients = new ConcurrentHashMap<>();
  private volatile AwsCredentialsProvider provider;

  /** With the SDK's default credentials provider chain (environment, web identity (IRSA), profile, container, instance). */
  public AwsSecretsManagerStore(Duration timeout) {
    this(() -> DefaultCredentialsProvider.builder().build(), timeout);
  }

  /** With a given credentials provider (tests). */
  public AwsSecretsManagerStore(Supplier<AwsCredentialsProvider> credentials, Duration timeout) {
    this.credentials = credentials;
    this.timeout = timeout;
  }

  @Override
  public void push(Target target, String namespace, String owner, PushPayload payload, Optional<String> held)
      throws PushException {
    AwsSecretsManagerPush a = target.spec().awsSecretsManager;
    SecretsManagerClient client = client(a);
    try {
      put(client, Target.awsJwksSecretId(a), payload.jwks(),
          "JWK set of the JWT signing keys of JwtSecret " + owner + " (jwt-secret-operator)");
      if (payload.currentDiffers(held)) {
        put(client, a.secretId, payload.current().value().reveal(),
            "Current JWT signing key of JwtSecret " + owner + " (jwt-secret-operator)");
      }
    } catch (AwsServiceException e) {
      throw failure(e);
    } catch (SdkClientException e) {
      throw clientFailure(e);
    } catch (SdkException e) {
      throw new PushException(PushException.Reason.StoreUnreachable, e.getClass().getSimpleName());
    }
  }

  private static void put(SecretsManagerClient client, String secretId, String value, String description) {
    try {
      client.putSecretValue(b -> b.secretId(secretId).secretString(value));
    } catch (ResourceNotFoundException e) {
      try {
        client.createSecret(b -> b.name(secretId).secretString(value).description(description));
      } catch (ResourceExistsException raced) {
        client.putSecretValue(b -> b.secretId(secretId).secretString(value));
      }
    }
  }

  private static PushException failure(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String text = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    String message = "Secrets Manager refused (HTTP " + e.statusCode() + (code == null ? "" : " " + code)
        + (text == null ? "" : ": " + text) + ")";
    PushException.Reason reason;
    if (e.statusCode() == 401 || e.statusCode() == 403 || (code != null && ACCESS_ERRORS.contains(code))) {
      reason = PushException.Reason.AccessDenied;
    } else if (e.statusCode() >= 500 || e.isThrottlingException()) {
      reason = PushException.Reason.StoreUnreachable;
    } else {
      reason = PushException.Reason.StoreRejected;
    }
    return new PushException(reason, message);
  }

  private static PushException clientFailure(SdkClientException e) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    if (text.contains("credentials")) {
      return new PushException(PushException.Reason.CredentialsUnavailable,
          "no AWS credentials in the default provider chain (environment, web identity, profile, container, instance)");
    }
    return new PushException(PushException.Reason.StoreUnreachable, "cannot reach Secrets Manager: " + text);
  }

  private SecretsManagerClient client(AwsSecretsManagerPush a) {
    String key = a.region + " " + (a.endpoint == null ? "" : a.endpoint);
    return clients.computeIfAbsent(key, k -> {
      SecretsManagerClientBuilder b = SecretsManagerClient.builder()
          .region(Region.of(a.region))
          .credentialsProvider(provider())
          .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build())
          // The operator retries with its own backoff, and reports each failure.
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout.multipliedBy(2)));
      if (a.endpoint != null && !a.endpoint.isBlank()) {
        b.endpointOverride(URI.create(a.endpoint.strip()));
      }
      return b.build();
    });
  }

  private AwsCredentialsProvider provider() {
    if (provider == null) {
      provider = credentials.get();
    }
    return provider;
  }
}
