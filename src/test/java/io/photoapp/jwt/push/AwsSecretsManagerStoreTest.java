package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.photoapp.jwt.api.AwsSecretsManagerPush;
import io.photoapp.jwt.api.PushTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** AWS Secrets Manager through the AWS SDK v2, against a local server that speaks its JSON 1.1 protocol. */
class AwsSecretsManagerStoreTest {
  static final String NS = "photoapp";
  final Stages stages = new Stages();
  final FakeSecretsManager aws = new FakeSecretsManager();
  StoreServer server;
  // Test credentials are injected: the default chain would look further (up to the instance metadata service).
  final AwsSecretsManagerStore store = new AwsSecretsManagerStore(() -> StaticCredentialsProvider.create(
      AwsBasicCredentials.create(FakeSecretsManager.ACCESS_KEY, FakeSecretsManager.SECRET_KEY)), Duration.ofSeconds(5));

  @BeforeEach
  void start() throws Exception {
    server = StoreServer.http(aws);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Target target(String jwksSecretId) {
    AwsSecretsManagerPush a = new AwsSecretsManagerPush();
    a.region = FakeSecretsManager.REGION;
    a.secretId = "photoapp/production/jwt";
    a.jwksSecretId = jwksSecretId;
    a.endpoint = server.url();
    PushTarget t = new PushTarget();
    t.awsSecretsManager = a;
    Target target = Target.of(List.of(t)).get(0);
    assertThat(target.invalid()).isEmpty();
    return target;
  }

  private void push(Target target, PushPayload payload, String held) throws PushException {
    store.push(target, NS, NS + "/photoapp-jwt", payload, Optional.ofNullable(held));
  }

  @Test
  void createsBothSecretsThenPutsNewVersionsOfWhatChanged() throws Exception {
    Target target = target(null);
    assertThat(target.id()).isEqualTo("aws:eu-west-1/photoapp/production/jwt");

    push(target, Stages.payload(stages.idle), null);
    List<StoreServer.Request> requests = server.take();
    assertThat(requests).extracting(r -> r.header("X-Amz-Target")).containsExactly(
        "secretsmanager.PutSecretValue", "secretsmanager.CreateSecret",
        "secretsmanager.PutSecretValue", "secretsmanager.CreateSecret");
    for (StoreServer.Request r : requests) {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/");
      assertThat(r.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
      assertThat(r.header("Authorization")).matches(FakeSecretsManager.SIGV4);
      assertThat(r.header("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
      assertThat(r.header("Authorization")).doesNotContain(FakeSecretsManager.SECRET_KEY);
    }
    assertThat(requests.get(0).body()).contains("\"SecretId\":\"photoapp/production/jwt-jwks\"");
    assertThat(requests.get(1).body()).contains("\"Name\":\"photoapp/production/jwt-jwks\"")
        .contains("\"Description\":\"JWK set of the JWT signing keys of JwtSecret photoapp/photoapp-jwt (jwt-secret-operator)\"");
    assertThat(aws.values("photoapp/production/jwt")).containsExactly(stages.k1.value().reveal());
    assertThat(JWKSet.parse(aws.current("photoapp/production/jwt-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k1.id());

    // Publishing: the JWK set gains the next key; the current key did not change, so it is not written.
    push(target, Stages.payload(stages.publishing), stages.idle.keySet());
    assertThat(server.take()).extracting(r -> r.header("X-Amz-Target")).containsExactly("secretsmanager.PutSecretValue");
    assertThat(JWKSet.parse(aws.current("photoapp/production/jwt-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k1.id(), stages.k2.id());
    assertThat(aws.values("photoapp/production/jwt")).hasSize(1);

    // Switching: the JWK set first, then the new current key.
    push(target, Stages.payload(stages.switching), stages.publishing.keySet());
    List<StoreServer.Request> switching = server.take();
    assertThat(switching).extracting(r -> r.header("X-Amz-Target")).containsExactly(
        "secretsmanager.PutSecretValue", "secretsmanager.PutSecretValue");
    assertThat(switching.get(0).body()).contains("\"SecretId\":\"photoapp/production/jwt-jwks\"");
    assertThat(switching.get(1).body()).contains("\"SecretId\":\"photoapp/production/jwt\"");
    assertThat(aws.current("photoapp/production/jwt")).isEqualTo(stages.k2.value().reveal());
    assertThat(JWKSet.parse(aws.current("photoapp/production/jwt-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k2.id(), stages.k1.id());

    push(target, Stages.payload(stages.retired), stages.switching.keySet());
    assertThat(JWKSet.parse(aws.current("photoapp/production/jwt-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k2.id());
    assertThat(aws.values("photoapp/production/jwt")).hasSize(2);
  }

  @Test
  void aNamedJwksSecretThatExists() throws Exception {
    aws.existing("photoapp-jwks").existing("photoapp/production/jwt");
    push(target("photoapp-jwks"), Stages.payload(stages.idle), null);
    assertThat(server.take()).extracting(r -> r.header("X-Amz-Target")).containsExactly(
        "secretsmanager.PutSecretValue", "secretsmanager.PutSecretValue");
    assertThat(aws.values("photoapp/production/jwt-jwks")).isNull();
    assertThat(aws.values("photoapp-jwks")).hasSize(1);
  }

  @Test
  void failuresAreReasonedAndCarryNoSecret() throws Exception {
    Target target = target(null);
    aws.failNext(FakeSecretsManager.error(400, "AccessDeniedException",
        "User: arn:aws:sts::123456789012:assumed-role/jwt-operator is not authorized to perform: secretsmanager:PutSecretValue"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.AccessDenied);
      assertThat(e.getMessage()).startsWith("Secrets Manager refused (HTTP 400 AccessDeniedException: User: arn:aws:sts::")
          .doesNotContain(stages.k1.value().reveal()).doesNotContain(FakeSecretsManager.SECRET_KEY);
    });
    aws.failNext(FakeSecretsManager.error(500, "InternalServiceError", "try again"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));
    aws.failNext(FakeSecretsManager.error(400, "ThrottlingException", "Rate exceeded"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));
    aws.failNext(FakeSecretsManager.error(400, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion."));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreRejected));
    assertThat(server.take()).as("no retries inside one push: the operator backs off itself").hasSize(4);

    server.close();
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e ->
        assertThat(e.reason()).isEqualTo(PushException.Reason.StoreUnreachable));
  }
}
