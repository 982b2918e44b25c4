package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.PushStatus;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.testing.EventLines;
import io.photoapp.jwt.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Drift in AWS Secrets Manager, through the operator's push path ({@link KeyPush}) and the real AWS
 * client against a local server that speaks its protocol: a secret edited by hand is read back at the
 * next resyncInterval and rewritten (DriftRepaired), never sooner than 10 minutes after the last write
 * to it, as AWS advises.
 */
class AwsDriftTest {
  static final String NS = "photoapp";
  static final String NAME = "photoapp/photoapp-jwt";
  static final String ID = "JwtSecretStore/team-aws:" + NAME;
  final Stages stages = new Stages();
  final FakeSecretsManager aws = new FakeSecretsManager();
  final MutableClock clock = new MutableClock(Stages.T0);
  final List<String> events = new CopyOnWriteArrayList<>();
  StoreServer server;
  KeyPush push;
  final JwtSecret js = StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: team-aws}, resyncInterval: 1h}]");
  List<PushStatus> status;
  KeyPush.Report report;

  @BeforeEach
  void start() throws Exception {
    server = StoreServer.http(aws);
    StoreFixtures.Cluster cluster = new StoreFixtures.Cluster();
    cluster.secrets.put(NS + "/aws-keys/id", FakeSecretsManager.ACCESS_KEY);
    cluster.secrets.put(NS + "/aws-keys/secret", FakeSecretsManager.SECRET_KEY);
    AwsSecretsManagerStore store = new AwsSecretsManagerStore(cluster, () -> StaticCredentialsProvider.create(
        AwsBasicCredentials.create(FakeSecretsManager.ACCESS_KEY, FakeSecretsManager.SECRET_KEY)), Duration.ofSeconds(5));
    StoreFixtures.Directory directory = new StoreFixtures.Directory().with(StoreFixtures.store(NS, "team-aws",
        "{awsSecretsManager: {region: " + FakeSecretsManager.REGION + ", endpoint: '" + server.url()
            + "', namePrefix: '{namespace}', auth: {secretRef: {accessKeyIdSecretRef: {name: aws-keys, key: id},"
            + " secretAccessKeySecretRef: {name: aws-keys, key: secret}}}}}"));
    push = new KeyPush(new StoreResolver(directory, true)::resolve, Map.<Provider, Supplier<Store>>of(
        Provider.AWS_SECRETS_MANAGER, () -> store), new OperatorMetrics(clock));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A sync as the reconciler makes it, repeated while a store call is in flight. */
  private PushStatus sync(KeyState state) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      report = push.sync(js, state, status, clock.instant());
      events.addAll(EventLines.of(report.events()));
      status = report.entries();
      // A call still in flight asks to be collected soon.
      return !report.recheckAfter().equals(java.util.Optional.of(KeyPush.COLLECT_AFTER));
    });
    return status.get(0);
  }

  private List<String> writes() {
    return server.take().stream().map(r -> r.header("X-Amz-Target")).filter(t -> !t.endsWith("GetSecretValue")).toList();
  }

  @Test
  void aSecretEditedByHandIsRewrittenAtTheNextCheckAndNotBefore() {
    sync(stages.idle);
    writes();
    aws.write(NAME, stages.k2.value().reveal());

    clock.advance(Duration.ofMinutes(30));
    sync(stages.idle);
    assertThat(server.take()).as("no read before resyncInterval").isEmpty();

    clock.advance(Duration.ofMinutes(31));
    PushStatus repaired = sync(stages.idle);
    assertThat(aws.current(NAME)).as("the key set is the Secret's, not the store's").isEqualTo(stages.k1.value().reveal());
    assertThat(writes()).as("both secrets rewritten").hasSize(2);
    assertThat(repaired.lastDriftRepairTime).isEqualTo(clock.instant().toString());
    assertThat(report.condition()).get().satisfies(v -> {
      assertThat(v.reason()).isEqualTo("DriftRepaired");
      assertThat(v.message()).contains(ID);
    });
    assertThat(events).filteredOn(e -> e.contains("DriftRepaired")).singleElement().asString().contains(ID)
        .contains(stages.k1.id()).doesNotContain(stages.k1.value().reveal()).doesNotContain(stages.k2.value().reveal());

    clock.advance(Duration.ofMinutes(61));
    sync(stages.idle);
    assertThat(writes()).as("a store that holds the key set is read, not written").isEmpty();
  }

  @Test
  void aDriftFoundWithinTenMinutesOfTheLastWriteWaitsForTheFloorAndSaysSo() {
    sync(stages.idle);
    Instant written = clock.instant();
    writes();
    aws.write(NAME, stages.k2.value().reveal());
    clock.advance(Duration.ofMinutes(4));
    // The check's cadence and the write floor are apart: here a status whose last check is an hour older
    // than the last write (whatever brings a check that close to a write, AWS is not written again yet).
    status.get(0).lastCheckTime = clock.instant().minus(Duration.ofHours(1)).toString();

    PushStatus waiting = sync(stages.idle);
    assertThat(writes()).as("drift found, not written yet").isEmpty();
    assertThat(waiting.driftDetectedTime).isEqualTo(clock.instant().toString());
    assertThat(waiting.nextAttemptTime).isEqualTo(written.plus(Duration.ofMinutes(10)).toString());
    assertThat(report.condition()).get().satisfies(v -> {
      assertThat(v.status()).isFalse();
      assertThat(v.message()).contains(ID + ", which differed from it at " + clock.instant())
          .contains("one write per secret per 10m; next at " + written.plus(Duration.ofMinutes(10)));
    });
    assertThat(report.recheckAfter()).contains(Duration.ofMinutes(6));

    clock.advance(Duration.ofMinutes(5));
    sync(stages.idle);
    assertThat(writes()).as("still within 10 minutes of the last write").isEmpty();

    clock.advance(Duration.ofMinutes(1));
    PushStatus repaired = sync(stages.idle);
    assertThat(writes()).hasSize(2);
    assertThat(aws.current(NAME)).isEqualTo(stages.k1.value().reveal());
    assertThat(repaired.lastDriftRepairTime).isEqualTo(clock.instant().toString());
    assertThat(report.condition().orElseThrow().reason()).isEqualTo("DriftRepaired");
  }
}
