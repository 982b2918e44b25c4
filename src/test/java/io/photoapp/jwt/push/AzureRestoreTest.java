package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.reconciler.StoreRestore;
import io.photoapp.jwt.testing.EventLines;
import io.photoapp.jwt.testing.MutableClock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Rebuilding from Azure Key Vault ({@code spec.push[].restore}): the operator's push and restore path
 * ({@link KeyPush} and {@link StoreRestore}, as the reconciler calls them) with the real Key Vault client
 * against a local HTTPS server that follows its API. What the reconciler then does with a restored key
 * set is the same for every store (AwsRestoreScenarioTest and RestoreScenarioTest run it whole).
 */
class AzureRestoreTest {
  static final String NS = "photoapp";
  static final String ID = "JwtSecretStore/team-azure:photoapp-photoapp-jwt";
  final Stages stages = new Stages();
  final FakeKeyVault keyVault = new FakeKeyVault();
  final MutableClock clock = new MutableClock(Stages.T0);
  final List<String> events = new CopyOnWriteArrayList<>();
  final Profile production = Profile.effective(Environment.PRODUCTION, Optional.empty());
  StoreServer server;
  KeyPush push;
  StoreRestore restore;
  JwtSecret js;

  @BeforeEach
  void start() throws Exception {
    server = StoreServer.https(keyVault);
    keyVault.at(server.url());
    StoreFixtures.Cluster cluster = new StoreFixtures.Cluster();
    cluster.secrets.put(NS + "/azure-sp/secret", "client-secret-value");
    TokenCredential credential = new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> getTokenSync(request));
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext request) {
        return new AccessToken(FakeKeyVault.TOKEN, OffsetDateTime.now().plusHours(1));
      }
    };
    AzureCredentials credentials = new AzureCredentials() {
      @Override
      public TokenCredential clientSecret(String tenantId, String clientId, String secret) {
        return credential;
      }

      @Override
      public TokenCredential clientAssertion(String tenantId, String clientId, Supplier<String> assertion) {
        return credential;
      }

      @Override
      public TokenCredential operator() {
        return credential;
      }
    };
    AzureKeyVaultStore azure = new AzureKeyVaultStore(cluster, credentials, () -> new JdkHttpClientBuilder(
        java.net.http.HttpClient.newBuilder().sslContext(TestTls.get().clientContext())).build(), false);
    StoreFixtures.Directory directory = new StoreFixtures.Directory().with(StoreFixtures.store(NS, "team-azure",
        "{azureKeyVault: {vaultUrl: '" + server.url() + "', namePrefix: '{namespace}', auth: {clientSecret: {clientId: c,"
            + " tenantId: t, secretRef: {name: azure-sp, key: secret}}}}}"));
    push = new KeyPush(new StoreResolver(directory, true)::resolve, Map.<Provider, Supplier<Store>>of(
        Provider.AZURE_KEY_VAULT, () -> azure), new OperatorMetrics(clock));
    restore = new StoreRestore(push);
    js = StoreFixtures.jwtSecret(NS, "photoapp-jwt", "[{storeRef: {name: team-azure}, restore: true, restoreTimeout: 10m}]");
    js.getMetadata().setCreationTimestamp(Stages.T0.toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The outcome of a restore attempt once its read has answered (a read still in flight is collected later). */
  private StoreRestore.Outcome attempt() {
    StoreRestore.Outcome[] last = new StoreRestore.Outcome[1];
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      last[0] = restore.attempt(js, false, new JwtSecretStatus(), production, Duration.ofMinutes(30), clock.instant());
      events.addAll(EventLines.of(last[0].events()));
      return last[0].pending().map(m -> !m.contains(": reading it;")).orElse(true);
    });
    return last[0];
  }

  List<io.photoapp.jwt.api.PushStatus> status;
  KeyPush.Report report;

  /** Syncs a key state as the reconciler does, until the store holds it (a call in flight is collected later). */
  private io.photoapp.jwt.api.PushStatus pushed(io.photoapp.jwt.rotation.KeyState state) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      report = push.sync(js, state, status, clock.instant());
      events.addAll(EventLines.of(report.events()));
      status = report.entries();
      return state.keySet().equals(status.get(0).keySet) && !report.recheckAfter().equals(Optional.of(KeyPush.COLLECT_AFTER));
    });
    return status.get(0);
  }

  @Test
  void aLostSecretIsRebuiltFromTheKeySetKeyVaultHoldsMidRotation() {
    pushed(stages.publishing);
    events.clear();
    clock.advance(Duration.ofDays(31));

    StoreRestore.Outcome outcome = attempt();
    assertThat(outcome.storeId()).isEqualTo(ID);
    assertThat(outcome.restored()).as("the same keys, phase and times: no new key").contains(stages.publishing);
    assertThat(events).isEmpty();
  }

  @Test
  void aWeakKeyInKeyVaultIsNotRestoredButReplacedWithAnEventNamingTheRule() {
    keyVault.write("photoapp-photoapp-jwt", "changeme");
    StoreRestore.Outcome outcome = attempt();
    assertThat(outcome.restored()).as("nothing restored: the reconciler generates a key").isEmpty();
    assertThat(outcome.waiting()).isFalse();
    assertThat(events).singleElement().asString().startsWith("Warning PolicyViolation: Not restored from " + ID)
        .contains("weak-key").contains("a new key is generated instead").doesNotContain("changeme");
  }

  @Test
  void aKeyVaultThatDoesNotAnswerIsWaitedForUntilRestoreTimeoutThenAFreshKeyIsMade() {
    StoreServer.Response unavailable = FakeKeyVault.error(503, "ServiceUnavailable", "try later");
    keyVault.failNext(java.util.Collections.nCopies(50, unavailable).toArray(StoreServer.Response[]::new));

    StoreRestore.Outcome pending = attempt();
    assertThat(pending.waiting()).isTrue();
    assertThat(pending.pending().orElseThrow()).contains(ID).contains("StoreUnreachable: Key Vault refused (HTTP 503)")
        .contains("a new key is generated at " + Stages.T0.plus(Duration.ofMinutes(10)));
    assertThat(pending.restored()).isEmpty();

    clock.advance(Duration.ofMinutes(11));
    StoreRestore.Outcome after = attempt();
    assertThat(after.waiting()).isFalse();
    assertThat(after.restored()).isEmpty();
    assertThat(events).singleElement().asString().startsWith("Warning RestoreTimedOut: No key set restored: store " + ID);
  }

  @Test
  void aKeyVaultSecretEditedByHandIsRewrittenAtTheNextCheck() {
    pushed(stages.idle);
    server.take();
    int versions = keyVault.versions("photoapp-photoapp-jwt").size();
    keyVault.write("photoapp-photoapp-jwt", stages.k2.value().reveal());
    events.clear();

    clock.advance(Duration.ofMinutes(59));
    pushed(stages.idle);
    assertThat(server.take()).as("no read before resyncInterval (default 1h)").isEmpty();

    clock.advance(Duration.ofMinutes(2));
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> pushed(stages.idle).lastDriftRepairTime != null);
    assertThat(keyVault.latest("photoapp-photoapp-jwt").value()).isEqualTo(stages.k1.value().reveal());
    assertThat(keyVault.versions("photoapp-photoapp-jwt")).hasSize(versions + 2);
    assertThat(report.condition().orElseThrow().reason()).isEqualTo("DriftRepaired");
    assertThat(events).filteredOn(e -> e.startsWith("Normal DriftRepaired")).singleElement().asString().contains(ID)
        .doesNotContain(stages.k1.value().reveal()).doesNotContain(stages.k2.value().reveal());
  }
}
