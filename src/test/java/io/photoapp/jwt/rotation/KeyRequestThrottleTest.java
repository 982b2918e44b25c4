package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** At most three new keys per JwtSecret within ten minutes: when the next one may be made. */
class KeyRequestThrottleTest {
  static final Instant NOW = Instant.parse("2026-11-28T06:30:00Z");

  static List<Instant> minutesAgo(int... minutes) {
    return Arrays.stream(minutes).mapToObj(m -> NOW.minusSeconds(60L * m)).toList();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        argumentSet("no key made yet", List.of(), null),
        argumentSet("one key a minute ago", minutesAgo(1), null),
        argumentSet("two keys within the window", minutesAgo(1, 5), null),
        argumentSet("three keys within the window: the fourth waits for the oldest to leave", minutesAgo(1, 2, 3),
            NOW.plusSeconds(7 * 60)),
        argumentSet("three keys, the oldest just inside the window", minutesAgo(0, 1, 9),
            NOW.plusSeconds(60)),
        argumentSet("three keys, the oldest exactly ten minutes ago: it has left", minutesAgo(1, 2, 10), null),
        argumentSet("four keys recorded: waits until two have left", minutesAgo(1, 2, 3, 4),
            NOW.plusSeconds(7 * 60)),
        argumentSet("three keys, one eleven minutes ago", minutesAgo(1, 2, 11), null),
        argumentSet("the same time twice counts once", minutesAgo(1, 1, 2), null),
        argumentSet("three keys, all now", minutesAgo(0, 0, 0), null),
        argumentSet("times in the future are ignored", List.of(NOW.plusSeconds(60), NOW.plusSeconds(120),
            NOW.plusSeconds(180)), null));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theNextKeyWaitsOnlyWhenThreeWereMadeWithinTenMinutes(List<Instant> recorded, Instant expected) {
    assertThat(KeyRequestThrottle.waitUntil(recorded, NOW)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void theAnnotationKeepsOnlyTheWindowAndSkipsWhatItCannotRead() {
    String written = KeyRequestThrottle.format(minutesAgo(1, 2, 30), NOW);
    assertThat(written).isEqualTo("2026-11-28T06:28:00Z,2026-11-28T06:29:00Z");
    assertThat(KeyRequestThrottle.parse(written + ",yesterday, 2026-11-28T06:20:00+00:00"))
        .containsExactly(NOW.minusSeconds(120), NOW.minusSeconds(60), NOW.minusSeconds(600));
    assertThat(KeyRequestThrottle.parse("x".repeat(100_000))).isEmpty();
    assertThat(KeyRequestThrottle.parse(null)).isEmpty();
  }

  @Test
  void theMessageSaysWhenAndHowLong() {
    assertThat(KeyRequestThrottle.message(NOW.plusSeconds(7 * 60 + 5), NOW))
        .isEqualTo("more than 3 new keys within 10m were asked for; the next may be made at 2026-11-28T06:37:05Z, in 7m5s");
  }
}
