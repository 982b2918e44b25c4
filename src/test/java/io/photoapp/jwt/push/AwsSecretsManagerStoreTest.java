package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** AWS Secrets Manager through the AWS SDK v2, against local servers that speak its JSON 1.1 protocol and STS's query protocol. */
class AwsSecretsManagerStoreTest {
  static final String NS = "photoapp";
  static final String NAME = "photoapp/photoapp/production/jwt";
  static final String ROLE = "arn:aws:iam::123456789012:role/jwt-push";
  final Stages stages = new Stages();
  final FakeSecretsManager aws = new FakeSecretsManager();
  final FakeSts sts = new FakeSts();
  final StoreFixtures.Cluster cluster = new StoreFixtures.Cluster();
  StoreServer server;
  StoreServer stsServer;
  // The operator's own identity is injected: the default chain would look further (up to the instance metadata service).
  final AwsSecretsManagerStore store = new AwsSecretsManagerStore(cluster, () -> StaticCredentialsProvider.create(
      AwsBasicCredentials.create(FakeSecretsManager.ACCESS_KEY, FakeSecretsManager.SECRET_KEY)), Duration.ofSeconds(5));

  @BeforeEach
  void start() throws Exception {
    server = StoreServer.http(aws);
    stsServer = StoreServer.http(sts);
    cluster.secrets.put(NS + "/aws-keys/id", FakeSecretsManager.ACCESS_KEY);
    cluster.secrets.put(NS + "/aws-keys/secret", FakeSecretsManager.SECRET_KEY);
  }

  @AfterEach
  void stop() {
    server.close();
    stsServer.close();
  }

  private Target target(String auth) {
    var s = StoreFixtures.store(NS, "team-aws", "{awsSecretsManager: {region: " + FakeSecretsManager.REGION + ", endpoint: '"
        + server.url() + "', stsEndpoint: '" + stsServer.url() + "', namePrefix: 'photoapp/{namespace}', auth: " + auth + "}}");
    Target target = StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s),
        StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: team-aws}, path: production/jwt}]"), true);
    assertThat(target.refusal()).isEmpty();
    return target;
  }

  private Target keyPairTarget() {
    return target("{secretRef: {accessKeyIdSecretRef: {name: aws-keys, key: id}, secretAccessKeySecretRef: {name: aws-keys, key: secret}}}");
  }

  private void push(Target target, PushPayload payload, String held) throws PushException {
    store.push(target, NS + "/photoapp-jwt", payload, Optional.ofNullable(held));
  }

  /**
   * A namespace user who may create JwtSecretStores must not make each of them cost the operator threads:
   * an SDK client starts a scheduler of its own (up to 5 threads) for its call timeouts unless given one.
   */
  @Test
  void manyStoresStartNoThreadsOfTheirOwn() throws Exception {
    long before = sdkSchedulerThreads();
    for (int i = 0; i < 20; i++) {
      var s = StoreFixtures.store(NS, "team-aws-" + i, "{awsSecretsManager: {region: " + FakeSecretsManager.REGION
          + ", endpoint: '" + server.url() + "', namePrefix: 'photoapp/{namespace}', auth: {secretRef: {accessKeyIdSecretRef:"
          + " {name: aws-keys, key: id}, secretAccessKeySecretRef: {name: aws-keys, key: secret}}}}}");
      Target target = StoreFixtures.resolveOne(new StoreFixtures.Directory().with(s),
          StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: team-aws-" + i + "}, path: jwt}]"), true);
      push(target, Stages.payload(stages.idle), null);
    }
    assertThat(sdkSchedulerThreads() - before).as("SDK scheduler threads started by 20 stores").isZero();
  }

  private static long sdkSchedulerThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("sdk-ScheduledExecutor")).count();
  }

  @Test
  void webIdentityExchangesATokenMintedForTheStoresServiceAccount() throws Exception {
    Target target = target("{jwt: {roleArn: '" + ROLE + "', serviceAccountRef: {name: jwt-pusher}}}");
    push(target, Stages.payload(stages.idle), null);
    assertThat(cluster.minted).containsExactly("photoapp/jwt-pusher [sts.amazonaws.com]");
    assertThat(sts.exchanges).containsExactly(ROLE + " system:serviceaccount:photoapp:jwt-pusher");
    assertThat(server.take()).allSatisfy(r -> assertThat(r.header("X-Amz-Security-Token")).isEqualTo(FakeSts.SESSION_TOKEN));
    assertThat(aws.values(NAME)).containsExactly(stages.k1.value().reveal());
  }

  @Test
  void anUnknownIdentityIsRefusedByStsAndNothingIsWritten() throws Exception {
    cluster.secrets.clear();
    Target target = target("{jwt: {roleArn: '" + ROLE + "', serviceAccountRef: {name: jwt-pusher}}}");
    StoreFixtures.Cluster forged = new StoreFixtures.Cluster() {
      @Override
      public String serviceAccountToken(String namespace, String serviceAccount, List<String> audiences) {
        return "not-a-jwt";
      }
    };
    AwsSecretsManagerStore withForged = new AwsSecretsManagerStore(forged, () -> null, Duration.ofSeconds(5));
    assertThatThrownBy(() -> withForged.push(target, NS + "/photoapp-jwt", Stages.payload(stages.idle), Optional.empty()))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.reason()).isEqualTo(PushException.Reason.AccessDenied));
    assertThat(server.take()).isEmpty();
  }

  @Test
  void createsBothSecretsThenPutsNewVersionsOfWhatChanged() throws Exception {
    Target target = keyPairTarget();
    assertThat(target.id()).isEqualTo("JwtSecretStore/team-aws:" + NAME);

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
    assertThat(requests.get(0).body()).contains("\"SecretId\":\"" + NAME + "-jwks\"");
    assertThat(requests.get(1).body()).contains("\"Name\":\"" + NAME + "-jwks\"")
        .contains("\"Description\":\"JWK set of the JWT signing keys of JwtSecret photoapp/photoapp-jwt (jwt-secret-operator)\"");
    assertThat(aws.values(NAME)).containsExactly(stages.k1.value().reveal());
    assertThat(JWKSet.parse(aws.current(NAME + "-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k1.id());

    // Publishing: the JWK set gains the next key; the current key did not change, so it is not written.
    push(target, Stages.payload(stages.publishing), stages.idle.keySet());
    assertThat(server.take()).extracting(r -> r.header("X-Amz-Target")).containsExactly("secretsmanager.PutSecretValue");
    assertThat(JWKSet.parse(aws.current(NAME + "-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k1.id(), stages.k2.id());
    assertThat(aws.values(NAME)).hasSize(1);

    // Switching: the JWK set first, then the new current key.
    push(target, Stages.payload(stages.switching), stages.publishing.keySet());
    List<StoreServer.Request> switching = server.take();
    assertThat(switching).extracting(r -> r.header("X-Amz-Target")).containsExactly(
        "secretsmanager.PutSecretValue", "secretsmanager.PutSecretValue");
    assertThat(switching.get(0).body()).contains("\"SecretId\":\"" + NAME + "-jwks\"");
    assertThat(switching.get(1).body()).contains("\"SecretId\":\"" + NAME + "\"");
    assertThat(aws.current(NAME)).isEqualTo(stages.k2.value().reveal());
    assertThat(JWKSet.parse(aws.current(NAME + "-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k2.id(), stages.k1.id());

    push(target, Stages.payload(stages.retired), stages.switching.keySet());
    assertThat(JWKSet.parse(aws.current(NAME + "-jwks")).getKeys()).extracting(k -> k.getKeyID())
        .containsExactly(stages.k2.id());
    assertThat(aws.values(NAME)).hasSize(2);
  }

  @Test
  void secretsThatExistGetNewVersions() throws Exception {
    aws.existing(NAME + "-jwks").existing(NAME);
    push(keyPairTarget(), Stages.payload(stages.idle), null);
    assertThat(server.take()).extracting(r -> r.header("X-Amz-Target")).containsExactly(
        "secretsmanager.PutSecretValue", "secretsmanager.PutSecretValue");
    assertThat(aws.values(NAME + "-jwks")).hasSize(1);
  }

  @Test
  void failuresAreReasonedAndCarryNoSecret() throws Exception {
    Target target = keyPairTarget();
    aws.failNext(FakeSecretsManager.error(400, "AccessDeniedException",
        "User: arn:aws:sts::123456789012:assumed-role/jwt-operator is not authorized to perform: secretsmanager:PutSecretValue"));
    assertThatThrownBy(() -> push(target, Stages.payload(stages.idle), null)).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.AccessDenied);
      assertThat(e.getMessage()).startsWith("SecretsManager refused (HTTP 400 AccessDeniedException: User: arn:aws:sts::")
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

  @Test
  void readsBackEveryStageItPushedWithTheSameCredentials() throws Exception {
    Target target = keyPairTarget();
    assertThat(store.read(target)).as("nothing there yet").isEmpty();
    String held = null;
    for (var stage : List.of(stages.idle, stages.publishing, stages.switching, stages.retiring, stages.retired)) {
      push(target, Stages.payload(stage), held);
      held = stage.keySet();
      server.take();
      assertThat(store.read(target)).as(stage.phase() + " " + stage.keySet()).contains(stage);
      List<StoreServer.Request> reads = server.take();
      assertThat(reads).extracting(r -> r.header("X-Amz-Target")).containsOnly("secretsmanager.GetSecretValue");
      assertThat(reads).allSatisfy(r -> assertThat(r.header("Authorization")).matches(FakeSecretsManager.SIGV4));
      assertThat(store.compare(target, Stages.payload(stage))).isEqualTo(Store.Comparison.SAME);
    }
    assertThat(JWKSet.parse(aws.current(NAME + "-jwks")).getKeys()).as("a JWK set its readers parse as before")
        .extracting(k -> k.getKeyID()).containsExactly(stages.k2.id());
  }

  @Test
  void aStoreEditedOrWrittenByAnEarlierVersionComparesAsSuch() throws Exception {
    Target target = keyPairTarget();
    push(target, Stages.payload(stages.publishing), null);
    aws.write(NAME + "-jwks", Stages.payload(stages.publishing).jwks());
    assertThat(store.compare(target, Stages.payload(stages.publishing))).as("the keys without their state")
        .isEqualTo(Store.Comparison.WITHOUT_STATE);
    assertThat(store.read(target)).get().satisfies(k -> {
      assertThat(k.keySet()).as("without a state, a second key is taken for the previous one").isEqualTo(stages.publishing.keySet());
      assertThat(k.previous()).contains(new io.photoapp.jwt.rotation.StoredKey(stages.k2.value(), stages.k2.id(),
          stages.k2.algorithm(), java.time.Instant.EPOCH));
      assertThat(k.next()).isEmpty();
    });
    aws.write(NAME, stages.k2.value().reveal());
    assertThat(store.compare(target, Stages.payload(stages.publishing))).isEqualTo(Store.Comparison.DIFFERENT);
    assertThat(store.compare(target, Stages.payload(stages.switching))).isEqualTo(Store.Comparison.DIFFERENT);
  }

  @Test
  void aReplyOverTheCapIsRefusedWithoutQuotingIt() throws Exception {
    Target target = keyPairTarget();
    String huge = "{\"SecretString\":\"" + "k".repeat(2 << 20) + "\"}";
    aws.failNext(new StoreServer.Response(200, java.util.Map.of("Content-Type", "application/x-amz-json-1.1"), huge));
    assertThatThrownBy(() -> store.read(target)).isInstanceOfSatisfying(PushException.class, e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.StoreRejected);
      assertThat(e.getMessage()).isEqualTo("AWS answered with more than 1024 KiB");
    });
  }

  @Test
  void malformedContentNeverCrashesTheReadAndIsNotTakenForAKeySet() throws Exception {
    Target target = keyPairTarget();
    aws.write(NAME + "-jwks", "{\"keys\": [{\"kty\": \"oct\", \"k\": 12}, \"x\", null], \"x-jwt-secret-operator-state\": [1]}");
    assertThat(store.read(target)).as("no usable key").isEmpty();
    assertThat(store.compare(target, Stages.payload(stages.idle))).isEqualTo(Store.Comparison.DIFFERENT);
    aws.write(NAME + "-jwks", "not json at all {");
    aws.write(NAME, stages.k1.value().reveal());
    assertThat(store.read(target)).as("the current key alone, its times unknown").get()
        .satisfies(k -> assertThat(k.keySet()).isEqualTo(stages.k1.id()));
  }
}
