package io.photoapp.jwt.push;

import io.photoapp.jwt.api.AwsSecretsManagerProvider;
import io.photoapp.jwt.api.SecretKeyRef;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * AWS Secrets Manager through the AWS SDK v2: the secret {@code <prefix>/<path>} holds the current key as
 * its SecretString, the secret {@code <prefix>/<path>-jwks} the JWK set of every key. Each is written
 * with PutSecretValue (a new version, AWSCURRENT), and created with CreateSecret when it does not exist
 * yet. The JWK set is written first, so that a verifier knows a key before a signer reads it as current.
 * Credentials per store: a ServiceAccount token exchanged with STS AssumeRoleWithWebIdentity, an access
 * key pair from a Secret, or (cluster stores only) the SDK's default chain of the operator's pod. The JWK
 * set carries where the keys stand ({@link JwksState}), so that {@link #read} (GetSecretValue of both, with
 * the same credentials) gives back what a lost Secret is rebuilt from. Every reply is capped at 1 MiB.
 */
public final class AwsSecretsManagerStore implements JwksSetStore {
  /** Error codes that mean the credentials or their rights were refused. */
  private static final Set<String> ACCESS_ERRORS = Set.of("AccessDeniedException", "UnrecognizedClientException",
      "InvalidSignatureException", "IncompleteSignature", "InvalidClientTokenId", "ExpiredTokenException",
      "SignatureDoesNotMatch", "MissingAuthenticationToken", "AccessDenied", "InvalidIdentityToken",
      "IDPRejectedClaim", "ExpiredToken");

  private final ClusterValues values;
  private final Supplier<AwsCredentialsProvider> operatorCredentials;
  private final Duration timeout;
  private final StoreSessions<SdkClient> clients = new StoreSessions<>();
  /**
   * The timers of every client's apiCallTimeout: without it each SDK client starts a scheduler of its own
   * (up to 5 threads, "sdk-ScheduledExecutor"), so threads grew with the stores tenants create.
   */
  private static final java.util.concurrent.ScheduledExecutorService TIMERS =
      java.util.concurrent.Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "aws-call-timer");
        t.setDaemon(true);
        return t;
      });
  private volatile AwsCredentialsProvider operatorProvider;

  /** With the SDK's default provider chain as the operator's own identity. */
  public AwsSecretsManagerStore(ClusterValues values, Duration timeout) {
    this(values, () -> DefaultCredentialsProvider.builder().build(), timeout);
  }

  /** With a given provider as the operator's own identity (tests). */
  public AwsSecretsManagerStore(ClusterValues values, Supplier<AwsCredentialsProvider> operatorCredentials, Duration timeout) {
    this.values = values;
    this.operatorCredentials = operatorCredentials;
    this.timeout = timeout;
  }

  @Override
  public void push(Target target, String owner, PushPayload payload, Optional<String> held) throws PushException {
    call(() -> {
      Session session = session(target);
      put(session, target.jwksLocation(), JwksState.write(payload),
          "JWK set of the JWT signing keys of JwtSecret " + owner + " (jwt-secret-operator)");
      if (payload.currentDiffers(held)) {
        put(session, target.location(), payload.current().value().reveal(),
            "Current JWT signing key of JwtSecret " + owner + " (jwt-secret-operator)");
      }
      return null;
    });
  }

  /** Reads both secrets back (GetSecretValue, AWSCURRENT) with the credentials a push uses. */
  @Override
  public JwksState.Held held(Target target) throws PushException {
    return call(() -> {
      Session session = session(target);
      return new JwksState.Held(get(session, target.location()), get(session, target.jwksLocation()));
    });
  }

  /** The client and the credentials of each request: the same for pushes and reads. */
  private record Session(SecretsManagerClient client, AwsRequestOverrideConfiguration auth) {}

  private Session session(Target target) throws PushException {
    AwsSecretsManagerProvider a = target.resolved().spec().awsSecretsManager;
    AwsCredentialsProvider credentials = credentials(target, a);
    SecretsManagerClient client = (SecretsManagerClient) clients.get(target.resolved(), "secretsmanager", k -> build(a));
    return new Session(client, AwsRequestOverrideConfiguration.builder().credentialsProvider(credentials).build());
  }

  /** A call to AWS, its failures as PushExceptions that carry no value. */
  private interface AwsCall<T> {
    T run() throws PushException;
  }

  private static <T> T call(AwsCall<T> call) throws PushException {
    try {
      return call.run();
    } catch (AwsServiceException e) {
      throw failure(e);
    } catch (SdkClientException e) {
      throw clientFailure(e);
    } catch (SdkException e) {
      throw new PushException(PushException.Reason.StoreUnreachable, e.getClass().getSimpleName());
    }
  }

  @Override
  public void forget(String storeUid) {
    clients.forget(storeUid);
  }

  private AwsCredentialsProvider credentials(Target target, AwsSecretsManagerProvider a) throws PushException {
    ResolvedStore store = target.resolved();
    if (a.auth.secretRef != null) {
      String id = secret(store, a.auth.secretRef.accessKeyIdSecretRef, "access key id");
      String key = secret(store, a.auth.secretRef.secretAccessKeySecretRef, "secret access key");
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, key));
    }
    AwsSecretsManagerProvider.AwsJwtAuth jwt = a.auth.jwt;
    if (jwt.serviceAccountRef == null) {
      if (operatorProvider == null) {
        operatorProvider = operatorCredentials.get();
      }
      return operatorProvider;
    }
    String namespace = store.serviceAccountNamespace(jwt.serviceAccountRef, target.namespace());
    String token = values.serviceAccountToken(namespace, jwt.serviceAccountRef.name, store.audiences(jwt.serviceAccountRef));
    StsClient sts = (StsClient) clients.get(store, "sts", k -> buildSts(a));
    // One session per push: named for the namespace, so that CloudTrail shows whose key went out.
    String session = "jwt-secret-operator-" + namespace;
    Credentials c = sts.assumeRoleWithWebIdentity(b -> b.roleArn(jwt.roleArn).webIdentityToken(token)
        // STS allows 64 characters.
        .roleSessionName(session.substring(0, Math.min(64, session.length())))
        .durationSeconds(900)).credentials();
    return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
  }

  private String secret(ResolvedStore store, SecretKeyRef ref, String what) throws PushException {
    String ns = store.objectNamespace(ref.namespace);
    return values.secret(ns, ref.name, ref.key).map(String::strip).filter(s -> !s.isEmpty())
        .orElseThrow(() -> new PushException(PushException.Reason.CredentialsUnavailable, "no AWS " + what + ": Secret "
            + ns + "/" + ref.name + " has no key " + ref.key));
  }

  /** The SecretString of a secret's AWSCURRENT version; null when the secret does not exist. */
  private static String get(Session session, String secretId) {
    try {
      return session.client().getSecretValue(b -> b.secretId(secretId).overrideConfiguration(session.auth())).secretString();
    } catch (ResourceNotFoundException e) {
      return null;
    }
  }

  private static void put(Session session, String secretId, String value, String description) {
    SecretsManagerClient client = session.client();
    AwsRequestOverrideConfiguration auth = session.auth();
    try {
      client.putSecretValue(b -> b.secretId(secretId).secretString(value).overrideConfiguration(auth));
    } catch (ResourceNotFoundException e) {
      try {
        client.createSecret(b -> b.name(secretId).secretString(value).description(description).overrideConfiguration(auth));
      } catch (ResourceExistsException raced) {
        client.putSecretValue(b -> b.secretId(secretId).secretString(value).overrideConfiguration(auth));
      }
    }
  }

  private static PushException failure(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String text = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    String service = e.awsErrorDetails() == null || e.awsErrorDetails().serviceName() == null ? "AWS"
        : e.awsErrorDetails().serviceName();
    String message = service + " refused (HTTP " + e.statusCode() + (code == null ? "" : " " + code)
        + (text == null ? "" : ": " + StoreText.of(text)) + ")";
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
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BoundedHttp.TooLarge) {
        return new PushException(PushException.Reason.StoreRejected, "AWS answered with more than "
            + BoundedHttp.MAX_REPLY_BYTES / 1024 + " KiB");
      }
    }
    String text = e.getMessage() == null ? "" : e.getMessage();
    if (text.contains("credentials")) {
      return new PushException(PushException.Reason.CredentialsUnavailable,
          "no AWS credentials in the operator's default provider chain (web identity, environment, instance)");
    }
    return new PushException(PushException.Reason.StoreUnreachable, "cannot reach AWS: "
        + (e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName()));
  }

  private SecretsManagerClient build(AwsSecretsManagerProvider a) {
    SecretsManagerClientBuilder b = SecretsManagerClient.builder()
        .region(Region.of(a.region))
        // Every request carries the store's credentials; a request without them is never signed with the operator's.
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build())
        // The operator retries with its own backoff, and reports each failure.
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout)
            .scheduledExecutorService(TIMERS).addExecutionInterceptor(new CappedReplies()));
    if (a.endpoint != null && !a.endpoint.isBlank()) {
      b.endpointOverride(URI.create(a.endpoint.strip()));
    }
    return b.build();
  }

  private StsClient buildSts(AwsSecretsManagerProvider a) {
    StsClientBuilder b = StsClient.builder()
        .region(Region.of(a.region))
        // AssumeRoleWithWebIdentity is not signed: the token is the credential.
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout)
            .scheduledExecutorService(TIMERS).addExecutionInterceptor(new CappedReplies()));
    if (a.stsEndpoint != null && !a.stsEndpoint.isBlank()) {
      b.endpointOverride(URI.create(a.stsEndpoint.strip()));
    }
    return b.build();
  }
}
