package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.PushStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The pure rules of pushing: when to push, how long to back off, what the Pushed condition says. */
class PushPlannerTest {
  static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  static final Target AWS = aws();

  private static Target aws() {
    return StoreFixtures.resolveOne(new StoreFixtures.Directory().with(StoreFixtures.store("photoapp", "aws",
        "{awsSecretsManager: {region: eu-west-1, namePrefix: apps, auth: {secretRef: {accessKeyIdSecretRef: {name: k, key: id},"
            + " secretAccessKeySecretRef: {name: k, key: secret}}}}}")),
        StoreFixtures.jwtSecret("photoapp", "photoapp-jwt", "[{storeRef: {name: aws}}]"), false);
  }

  @ParameterizedTest(name = "failure {0} in a row: next attempt after {1}")
  @CsvSource({"1, PT10S", "2, PT20S", "3, PT40S", "4, PT1M20S", "5, PT2M40S", "6, PT5M20S", "7, PT10M", "8, PT10M", "50, PT10M"})
  void backoffStartsAt10sAndDoublesUpTo10m(int failures, Duration expected) {
    assertThat(PushPlanner.backoff(failures)).isEqualTo(expected);
  }

  static Stream<Arguments> steps() {
    return Stream.of(
        Arguments.of("never pushed", null, PushPlanner.Step.PUSH),
        Arguments.of("holds the key set", entry("K1,K2", null, null, null), PushPlanner.Step.IN_SYNC),
        Arguments.of("holds an older key set", entry("K1", null, null, null), PushPlanner.Step.PUSH),
        Arguments.of("failed, backoff not over", entry("K1", "K1,K2", 2, NOW.plusSeconds(1)), PushPlanner.Step.WAIT),
        Arguments.of("failed, backoff over", entry("K1", "K1,K2", 2, NOW), PushPlanner.Step.PUSH),
        Arguments.of("failed for another key set: a new key set is tried at once", entry("K1", "K1,K0", 5, NOW.plusSeconds(300)),
            PushPlanner.Step.PUSH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void step(String name, PushStatus old, PushPlanner.Step expected) {
    assertThat(PushPlanner.step(AWS, "K1,K2", Optional.ofNullable(old), NOW)).isEqualTo(expected);
  }

  @Test
  void aFailureKeepsWhatTheStoreHoldsAndCountsFailuresOfOneKeySet() {
    PushStatus held = PushPlanner.succeeded(AWS, "K1", NOW.minusSeconds(60));
    PushException down = new PushException(PushException.Reason.StoreUnreachable, "HTTP 503");
    PushStatus first = PushPlanner.failed(AWS, Optional.of(held), "K1,K2", down, NOW);
    assertThat(first.keySet).isEqualTo("K1");
    assertThat(first.lastPushTime).isEqualTo(NOW.minusSeconds(60).toString());
    assertThat(first.pendingKeySet).isEqualTo("K1,K2");
    assertThat(first.failures).isEqualTo(1);
    assertThat(first.nextAttemptTime).isEqualTo(NOW.plusSeconds(10).toString());
    assertThat(first.reason).isEqualTo("StoreUnreachable");
    PushStatus second = PushPlanner.failed(AWS, Optional.of(first), "K1,K2", down, NOW.plusSeconds(10));
    assertThat(second.failures).isEqualTo(2);
    assertThat(second.nextAttemptTime).isEqualTo(NOW.plusSeconds(30).toString());
    PushStatus otherKeySet = PushPlanner.failed(AWS, Optional.of(second), "K2,K1", down, NOW.plusSeconds(30));
    assertThat(otherKeySet.failures).as("a new key set starts a new backoff").isEqualTo(1);
    assertThat(PushPlanner.recheck(List.of(held, second), NOW.plusSeconds(12))).contains(Duration.ofSeconds(18));
  }

  @Test
  void theConditionNamesEveryFailingTargetAndTheFirstReason() {
    PushStatus ok = PushPlanner.succeeded(AWS, "K1,K2", NOW);
    assertThat(PushPlanner.verdict(List.of(ok), "K1,K2")).contains(new PushPlanner.Verdict(true, "InSync",
        "every store holds key set K1,K2: JwtSecretStore/aws:apps/photoapp-jwt"));
    PushStatus failing = PushPlanner.failed(AWS, Optional.empty(), "K1,K2",
        new PushException(PushException.Reason.AccessDenied, "HTTP 403"), NOW);
    assertThat(PushPlanner.verdict(List.of(failing), "K1,K2")).contains(new PushPlanner.Verdict(false, "AccessDenied",
        "JwtSecretStore/aws:apps/photoapp-jwt: AccessDenied: HTTP 403 (next attempt at 2026-11-28T06:00:10Z)"));
    assertThat(PushPlanner.verdict(List.of(), "K1")).isEmpty();
  }

  private static PushStatus entry(String keySet, String pending, Integer failures, Instant next) {
    PushStatus s = new PushStatus();
    s.target = AWS.id();
    s.keySet = keySet;
    s.pendingKeySet = pending;
    s.failures = failures;
    s.nextAttemptTime = next == null ? null : next.toString();
    s.reason = failures == null ? null : "StoreUnreachable";
    return s;
  }

  static Target vault(String extra) {
    return StoreFixtures.resolveOne(new StoreFixtures.Directory().with(StoreFixtures.store("photoapp", "vault",
        "{vault: {address: 'https://v:8200', pathPrefix: apps, auth: {tokenSecretRef: {name: t, key: k}}}}")),
        StoreFixtures.jwtSecret("photoapp", "photoapp-jwt", "[{storeRef: {name: vault}" + extra + "}]"), false);
  }

  static PushStatus held(String lastPush, String lastCheck) {
    PushStatus s = new PushStatus();
    s.keySet = "K1";
    s.lastPushTime = lastPush;
    s.lastCheckTime = lastCheck;
    return s;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "vault, pushed 59m ago, never checked | vault | | -59 | | false",
      "vault, pushed 60m ago | vault | | -60 | | true",
      "vault, checked 10m ago, pushed 2h ago | vault | | -120 | -10 | false",
      "vault, checked 61m ago | vault | | -120 | -61 | true",
      "vault, resyncInterval 10m, checked 10m ago | vault | ', resyncInterval: 10m' | -120 | -10 | true",
      "vault, no times recorded | vault | | | | true",
      "aws, pushed 10h ago | aws | | -600 | | true",
      "aws, pushed 30m ago | aws | | -30 | | false",
  })
  void aStoreIsReadBackAtMostOncePerResyncInterval(String name, String kind, String extra, Long pushedMinutes,
      Long checkedMinutes, boolean due) {
    Target target = "aws".equals(kind) ? AWS : vault(extra == null ? "" : extra);
    PushStatus entry = held(pushedMinutes == null ? null : NOW.plus(Duration.ofMinutes(pushedMinutes)).toString(),
        checkedMinutes == null ? null : NOW.plus(Duration.ofMinutes(checkedMinutes)).toString());
    assertThat(PushPlanner.checkDue(target, entry, NOW)).isEqualTo(due);
  }

  @Test
  void aDriftedAwsSecretIsRewrittenNoSoonerThanTenMinutesAfterItsLastWrite() {
    PushStatus lastWrite = held(NOW.minusSeconds(240).toString(), NOW.minusSeconds(7200).toString());
    assertThat(PushPlanner.repairAllowedAt(AWS, lastWrite)).contains(NOW.plusSeconds(360));
    assertThat(PushPlanner.repairAllowedAt(vault(""), lastWrite)).as("Vault has no such advice").isEmpty();
    PushStatus waiting = PushPlanner.throttled(AWS, Optional.of(PushPlanner.drifted(AWS, lastWrite, NOW)), "K1", NOW.plusSeconds(360));
    assertThat(PushPlanner.step(AWS, "K1", Optional.of(waiting), NOW.plusSeconds(359))).isEqualTo(PushPlanner.Step.WAIT);
    assertThat(PushPlanner.step(AWS, "K1", Optional.of(waiting), NOW.plusSeconds(360))).isEqualTo(PushPlanner.Step.PUSH);
    assertThat(PushPlanner.verdict(List.of(waiting), "K1")).get().satisfies(v -> {
      assertThat(v.status()).isFalse();
      assertThat(v.message()).contains("which differed from it at " + NOW).contains("one write per secret per 10m; next at "
          + NOW.plusSeconds(360));
    });
  }

  @Test
  void aRewriteAfterDriftSaysSoUntilTheNextPush() {
    Target target = vault("");
    PushStatus drifted = PushPlanner.drifted(target, held(NOW.minusSeconds(7200).toString(), null), NOW);
    assertThat(drifted.keySet).as("the store no longer holds the key set").isNull();
    assertThat(PushPlanner.step(target, "K1", Optional.of(drifted), NOW)).isEqualTo(PushPlanner.Step.PUSH);
    PushStatus repaired = PushPlanner.succeeded(target, Optional.of(drifted), "K1", NOW);
    assertThat(repaired.lastDriftRepairTime).isEqualTo(NOW.toString());
    assertThat(repaired.driftDetectedTime).isNull();
    assertThat(PushPlanner.verdict(List.of(repaired), "K1")).get().satisfies(v -> {
      assertThat(v.status()).isTrue();
      assertThat(v.reason()).isEqualTo("DriftRepaired");
    });
    PushStatus next = PushPlanner.succeeded(target, Optional.of(repaired), "K1,K2", NOW.plusSeconds(60));
    assertThat(PushPlanner.verdict(List.of(next), "K1,K2").orElseThrow().reason()).isEqualTo("InSync");
  }
}
