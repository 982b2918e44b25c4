package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The next reconcile of a JwtSecret: its own recheck when sooner, else within the resync interval. */
class ResyncTest {
  private static final String UID = "0b9f5c2e-8f8a-4d0c-9b7e-3f1d2c4b5a69";

  @ParameterizedTest(name = "recheck {0} -> {1}")
  @CsvSource({
      // a stage due in 30 s: then, and 50 ms later so that its time has passed
      "PT30S, PT30.05S",
      // a rollout's recheck
      "PT5S, PT5.05S",
      // the next rotation, months away: the resync interval instead (the SDK's maximum would be replaced)
      "P180D, RESYNC",
      // just past the interval
      "PT10M, RESYNC",
  })
  void aRecheckSoonerThanTheResyncIsKeptElseTheResyncComes(Duration recheck, String expected) {
    Duration cap = Resync.after(Optional.empty(), UID);
    assertThat(Resync.after(Optional.of(recheck), UID)).isEqualTo("RESYNC".equals(expected) ? cap : Duration.parse(expected));
  }

  @Test
  void withNoRecheckAJwtSecretIsReconciledAgainWithinTheInterval() {
    Duration next = Resync.after(Optional.empty(), UID);
    assertThat(next).isLessThanOrEqualTo(Duration.ofMinutes(10)).isGreaterThan(Duration.ofMinutes(9));
    assertThat(Resync.after(Optional.empty(), null)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void jwtSecretsReconciledTogetherComeBackSpreadOverTheIntervalsLastMinute() {
    Set<Long> seconds = IntStream.range(0, 1000).mapToObj(i -> UUID.nameUUIDFromBytes(("js-" + i).getBytes()).toString())
        .map(uid -> Resync.after(Optional.empty(), uid).toSeconds()).collect(Collectors.toSet());
    assertThat(seconds).allSatisfy(s -> assertThat(s).isBetween(540L, 600L));
    assertThat(seconds).hasSizeGreaterThan(50);
    // the same JwtSecret always gets the same delay
    assertThat(Resync.after(Optional.empty(), UID)).isEqualTo(Resync.after(Optional.empty(), UID));
  }
}
