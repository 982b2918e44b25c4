package io.photoapp.jwt.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes (Go) durations, as spec.rotation writes them. */
class DurationsTest {

  static Stream<Arguments> durations() {
    return Stream.of(
        argumentSet("90s", "90s", Duration.ofSeconds(90)),
        argumentSet("30m", "30m", Duration.ofMinutes(30)),
        argumentSet("4320h: 180 days", "4320h", Duration.ofDays(180)),
        argumentSet("1h30m", "1h30m", Duration.ofMinutes(90)),
        argumentSet("2h45m30s", "2h45m30s", Duration.ofSeconds(2 * 3600 + 45 * 60 + 30)),
        argumentSet("1.5h", "1.5h", Duration.ofMinutes(90)),
        argumentSet("0.5s", "0.5s", Duration.ofMillis(500)),
        argumentSet("500ms", "500ms", Duration.ofMillis(500)),
        argumentSet("250us", "250us", Duration.ofNanos(250_000)),
        argumentSet("250µs", "250µs", Duration.ofNanos(250_000)),
        argumentSet("10ns", "10ns", Duration.ofNanos(10)),
        argumentSet("0s", "0s", Duration.ZERO),
        argumentSet("surrounding blanks", " 30m ", Duration.ofMinutes(30)),
        argumentSet("87600h: ten years, the longest", "87600h", Duration.ofDays(3650)));
  }

  @ParameterizedTest
  @MethodSource("durations")
  void parsesKubernetesDurations(String text, Duration expected) {
    assertEquals(expected, Durations.parse(text));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"5 minutes", "30", "1d", "1w", "-5m", "+5m", "m", "1h 30m", "1H", "PT30M", "1.m", ".5h", "30 m"})
  void refusesWhatIsNotADuration(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("is not a duration such as 90s, 30m or 4320h"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"87601h", "3651h87600h", "9999999999999999999999h"})
  void refusesDurationsOverTenYears(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("is longer than 3650 days"), e.getMessage());
  }

  static Stream<Arguments> formats() {
    return Stream.of(
        argumentSet("180 days: 4320h", Duration.ofDays(180), "4320h"),
        argumentSet("30 minutes: 30m", Duration.ofMinutes(30), "30m"),
        argumentSet("90 minutes: 1h30m", Duration.ofMinutes(90), "1h30m"),
        argumentSet("61 seconds: 1m1s", Duration.ofSeconds(61), "1m1s"),
        argumentSet("one hour and a second: 1h1s", Duration.ofSeconds(3601), "1h1s"),
        argumentSet("zero: 0s", Duration.ZERO, "0s"));
  }

  @ParameterizedTest
  @MethodSource("formats")
  void formatsInTheShortestKubernetesForm(Duration duration, String text) {
    assertEquals(text, Durations.format(duration));
    assertEquals(duration, Durations.parse(text));
  }
}
