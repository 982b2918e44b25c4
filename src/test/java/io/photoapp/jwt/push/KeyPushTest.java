package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.PushStatus;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.testing.EventLines;
import io.photoapp.jwt.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Pushing around the stores: only what differs, failures reported and retried with backoff, never thrown. */
class KeyPushTest {
  final Stages stages = new Stages();
  final MutableClock clock = new MutableClock(Stages.T0);
  final OperatorMetrics metrics = new OperatorMetrics(clock);
  final List<String> events = new ArrayList<>();
  final FakeStore vault = new FakeStore();
  final FakeStore aws = new FakeStore();
  final StoreFixtures.Directory directory = new StoreFixtures.Directory()
      .with(StoreFixtures.store("photoapp", "team-vault", "{vault: {address: 'https://vault:8200', pathPrefix: 'jwt/{namespace}',"
          + " auth: {kubernetes: {role: r, serviceAccountRef: {name: pusher}}}}}"))
      .with(StoreFixtures.clusterStore("aws", "{awsSecretsManager: {region: eu-west-1, namePrefix: 'apps/{namespace}',"
          + " auth: {jwt: {operatorIdentity: true}}}, conditions: [{namespaces: [photoapp]}]}"));
  final KeyPush push = new KeyPush(new StoreResolver(directory, false)::resolve, Map.<Provider, Supplier<Store>>of(
      Provider.VAULT, () -> vault, Provider.AWS_SECRETS_MANAGER, () -> aws), metrics);
  List<PushStatus> status;

  /** A store that records what it is given, or fails as told. */
  static final class FakeStore implements Store {
    final List<String> pushed = new ArrayList<>();
    final List<Optional<String>> held = new ArrayList<>();
    RuntimeException crash;
    PushException failure;

    @Override
    public void push(Target target, String owner, PushPayload payload, Optional<String> heldKeySet)
        throws PushException {
      if (crash != null) {
        throw crash;
      }
      if (failure != null) {
        throw failure;
      }
      pushed.add(payload.keySet());
      held.add(heldKeySet);
    }
  }

  static JwtSecret jwtSecret(String push) {
    return StoreFixtures.jwtSecret("photoapp", "photoapp-jwt", push);
  }

  static final JwtSecret TWO_STORES = jwtSecret("[{storeRef: {name: team-vault}},"
      + " {storeRef: {name: aws, kind: ClusterJwtSecretStore}, path: backend}]");
  static final String VAULT = "JwtSecretStore/team-vault:jwt/photoapp/photoapp-jwt";
  static final String AWS = "ClusterJwtSecretStore/aws:apps/photoapp/backend";

  private KeyPush.Report sync(JwtSecret js, KeyState state) {
    KeyPush.Report report = push.sync(js, state, status, clock.instant());
    events.addAll(EventLines.of(report.events()));
    status = report.entries();
    return report;
  }

  private double failures(String target) {
    var counter = metrics.registry().find("jwtsecret_push_failures_total").tag("target", target).counter();
    return counter == null ? -1 : counter.count();
  }

  @Test
  void eachStoreGetsEachKeySetOnce() {
    KeyPush.Report created = sync(TWO_STORES, stages.idle);
    assertThat(vault.pushed).containsExactly(stages.idle.keySet());
    assertThat(aws.pushed).containsExactly(stages.idle.keySet());
    assertThat(aws.held).containsExactly(Optional.empty());
    assertThat(created.entries()).extracting(e -> e.target, e -> e.keySet, e -> e.lastPushTime).containsExactly(
        org.assertj.core.groups.Tuple.tuple(VAULT, stages.k1.id(), Stages.T0.toString()),
        org.assertj.core.groups.Tuple.tuple(AWS, stages.k1.id(), Stages.T0.toString()));
    assertThat(created.condition()).contains(new PushPlanner.Verdict(true, "InSync",
        "every store holds key set " + stages.k1.id() + ": " + VAULT + ", " + AWS));
    assertThat(created.recheckAfter()).isEmpty();
    assertThat(failures(VAULT)).as("present from 0").isZero();
    assertThat(events).containsExactly("Normal Pushed: Pushed key set " + stages.k1.id() + " to " + VAULT,
        "Normal Pushed: Pushed key set " + stages.k1.id() + " to " + AWS);

    clock.advance(Duration.ofMinutes(5));
    KeyPush.Report again = sync(TWO_STORES, stages.idle);
    assertThat(vault.pushed).hasSize(1);
    assertThat(again.entries()).usingRecursiveFieldByFieldElementComparator().isEqualTo(created.entries());

    for (KeyState stage : List.of(stages.publishing, stages.switching, stages.retiring, stages.retired)) {
      // Stages 10 minutes apart: AWS advises no more than one write per secret per 10 minutes.
      clock.advance(Duration.ofMinutes(10));
      sync(TWO_STORES, stage);
      sync(TWO_STORES, stage);
    }
    assertThat(aws.pushed).containsExactly(stages.idle.keySet(), stages.publishing.keySet(), stages.switching.keySet(),
        stages.retired.keySet());
    assertThat(aws.held).as("each store is told what it holds").containsExactly(Optional.empty(),
        Optional.of(stages.idle.keySet()), Optional.of(stages.publishing.keySet()), Optional.of(stages.switching.keySet()));
  }

  @Test
  void aFailingStoreBacksOffReportsAndNeverStopsTheOthers() {
    aws.failure = new PushException(PushException.Reason.StoreUnreachable, "cannot reach Secrets Manager: connection refused");
    KeyPush.Report first = sync(TWO_STORES, stages.idle);
    assertThat(vault.pushed).hasSize(1);
    assertThat(first.condition().get().status()).isFalse();
    assertThat(first.condition().get().reason()).isEqualTo("StoreUnreachable");
    assertThat(first.condition().get().message()).isEqualTo(AWS + ": StoreUnreachable: cannot reach Secrets Manager: connection refused"
        + " (next attempt at " + Stages.T0.plusSeconds(10) + ")");
    assertThat(first.recheckAfter()).contains(Duration.ofSeconds(10));
    assertThat(failures(AWS)).isEqualTo(1);
    assertThat(failures(VAULT)).isZero();
    assertThat(events).contains("Warning PushFailed: Push of key set " + stages.k1.id() + " to " + AWS
        + " failed: StoreUnreachable: cannot reach Secrets Manager: connection refused");

    // Before the backoff ends nothing is tried; then 10s, 20s, 40s, ... up to 10m.
    clock.advance(Duration.ofSeconds(9));
    assertThat(sync(TWO_STORES, stages.idle).recheckAfter()).contains(Duration.ofSeconds(1));
    assertThat(failures(AWS)).isEqualTo(1);
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      clock.advance(PushPlanner.recheck(status, clock.instant()).get());
      waits.add(sync(TWO_STORES, stages.idle).recheckAfter().get());
    }
    assertThat(waits).extracting(Duration::toSeconds).containsExactly(20L, 40L, 80L, 160L, 320L, 600L, 600L, 600L);
    assertThat(failures(AWS)).isEqualTo(9);
    assertThat(status.get(1).failures).isEqualTo(9);

    // A new key set is tried at once, whatever the backoff.
    sync(TWO_STORES, stages.publishing);
    assertThat(failures(AWS)).isEqualTo(10);
    assertThat(status.get(1).failures).isEqualTo(1);
    assertThat(status.get(1).keySet).as("what the store still holds").isNull();

    // The store comes back: the next attempt pushes, and the condition clears.
    aws.failure = null;
    clock.advance(Duration.ofSeconds(10));
    KeyPush.Report back = sync(TWO_STORES, stages.publishing);
    assertThat(aws.pushed).containsExactly(stages.publishing.keySet());
    assertThat(back.condition().get().status()).isTrue();
    assertThat(back.recheckAfter()).isEmpty();
    assertThat(status.get(1).failures).isNull();
    assertThat(vault.pushed).containsExactly(stages.idle.keySet(), stages.publishing.keySet());
  }

  @Test
  void aRefusedTargetIsReportedOnceAndNeverTried() {
    JwtSecret js = jwtSecret("[{storeRef: {name: team-vault}, path: '../team-b/jwt'}, {storeRef: {name: team-vault}}]");
    KeyPush.Report report = sync(js, stages.idle);
    assertThat(vault.pushed).hasSize(1);
    String refused = "JwtSecretStore/team-vault:../team-b/jwt";
    assertThat(report.condition().get()).isEqualTo(new PushPlanner.Verdict(false, "InvalidTarget",
        refused + ": InvalidTarget: spec.push[0].path may not hold a '.' or '..' segment"));
    assertThat(report.recheckAfter()).as("a fixed spec triggers a reconcile").isEmpty();
    sync(js, stages.idle);
    assertThat(events).filteredOn(e -> e.contains("PushFailed")).containsExactly(
        "Warning PushFailed: Cannot push to " + refused + ": spec.push[0].path may not hold a '.' or '..' segment");
    assertThat(metrics.registry().find("jwtsecret_push_failures_total").tag("target", refused).counter()).isNull();
  }

  @Test
  void whatThisProcessPushedCountsEvenBeforeTheStatusShowsIt() {
    KeyPush.Report first = push.sync(TWO_STORES, stages.idle, null, clock.instant());
    assertThat(first.entries()).hasSize(2);
    push.sync(TWO_STORES, stages.idle, null, clock.instant());
    assertThat(vault.pushed).as("a reconcile that read the status from before the push").hasSize(1);
  }

  @Test
  void aBrokenStoreIsAFailureNotACrash() {
    aws.crash = new IllegalStateException("bug with " + stages.k1.value().reveal());
    KeyPush.Report report = sync(TWO_STORES, stages.idle);
    assertThat(report.condition().get().reason()).isEqualTo("StoreRejected");
    assertThat(report.condition().get().message()).contains("unexpected IllegalStateException")
        .doesNotContain(stages.k1.value().reveal());
    assertThat(events).noneMatch(e -> e.contains(stages.k1.value().reveal()));
  }

  @Test
  void withoutTargetsThereIsNothingToReport() {
    sync(TWO_STORES, stages.idle);
    KeyPush.Report none = sync(jwtSecret("[]"), stages.idle);
    assertThat(none.entries()).isNull();
    assertThat(none.condition()).isEmpty();
    assertThat(none.recheckAfter()).isEmpty();
  }

  @Test
  void anAwsSecretIsWrittenAtMostOncePer10MinutesButAnEmergencyGoesAtOnce() {
    sync(TWO_STORES, stages.idle);
    clock.advance(Duration.ofMinutes(3));
    KeyPush.Report publishing = sync(TWO_STORES, stages.publishing);
    assertThat(vault.pushed).hasSize(2);
    assertThat(aws.pushed).as("written 3 minutes ago").hasSize(1);
    PushStatus waiting = publishing.entries().get(1);
    assertThat(waiting.pendingKeySet).isEqualTo(stages.publishing.keySet());
    assertThat(waiting.nextAttemptTime).isEqualTo(Stages.T0.plus(Duration.ofMinutes(10)).toString());
    assertThat(waiting.reason).isNull();
    assertThat(publishing.condition().orElseThrow().reason()).isEqualTo(PushPlanner.IN_PROGRESS);
    assertThat(publishing.recheckAfter()).contains(Duration.ofMinutes(7));
    assertThat(failures(AWS)).as("waiting is not failing").isZero();

    clock.advance(Duration.ofMinutes(7));
    sync(TWO_STORES, stages.publishing);
    assertThat(aws.pushed).containsExactly(stages.idle.keySet(), stages.publishing.keySet());

    // An emergency keeps none of the keys the store holds: they must go at once.
    clock.advance(Duration.ofMinutes(1));
    KeyState emergency = stages.publishing.replaceAll(Stages.key(Stages.T0.plus(Duration.ofMinutes(11))), "Emergency",
        Stages.T0.plus(Duration.ofMinutes(11)));
    sync(TWO_STORES, emergency);
    assertThat(aws.pushed).last().isEqualTo(emergency.keySet());
  }
}
