package io.photoapp.jwt.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Due times of "@every" and cron schedules, in their time zone, and the longest gap between them. */
class ScheduleTest {
  private static final Instant WINTER = Instant.parse("2026-01-15T12:00:00Z");
  private static final Instant SUMMER = Instant.parse("2026-07-15T12:00:00Z");

  @Test
  void blankScheduleIsEvery180DaysInUtc() {
    Schedule schedule = Schedule.parse(null, null);
    assertEquals("@every 4320h", schedule.expression());
    assertEquals(ZoneId.of("UTC"), schedule.zone());
    assertEquals(Optional.of(WINTER.plus(Duration.ofDays(180))), schedule.nextAfter(WINTER));
    assertEquals(Schedule.DEFAULT, Schedule.parse("  ", "").expression());
  }

  static Stream<Arguments> everySchedules() {
    return Stream.of(
        argumentSet("@every 4320h: 180 days", "@every 4320h", Duration.ofDays(180)),
        argumentSet("@every 30m", "@every 30m", Duration.ofMinutes(30)),
        argumentSet("@every 1h30m", "@every 1h30m", Duration.ofMinutes(90)),
        argumentSet("@every 1s: the shortest", "@every 1s", Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @MethodSource("everySchedules")
  void everyScheduleIsDueOneIntervalAfterTheGivenTime(String expression, Duration interval) {
    Schedule schedule = Schedule.parse(expression, "Europe/Berlin");
    assertEquals(Optional.of(WINTER.plus(interval)), schedule.nextAfter(WINTER));
    assertEquals(interval, schedule.longestInterval(WINTER));
  }

  static Stream<Arguments> cronDueTimes() {
    return Stream.of(
        argumentSet("03:00 Berlin in winter is 02:00 UTC", "0 3 * * *", "Europe/Berlin", WINTER, "2026-01-16T02:00:00Z"),
        argumentSet("03:00 Berlin in summer is 01:00 UTC", "0 3 * * *", "Europe/Berlin", SUMMER, "2026-07-16T01:00:00Z"),
        argumentSet("03:00 Berlin on the day clocks go forward", "0 3 * * *", "Europe/Berlin", Instant.parse("2026-03-28T12:00:00Z"), "2026-03-29T01:00:00Z"),
        argumentSet("03:00 UTC", "0 3 * * *", "UTC", WINTER, "2026-01-16T03:00:00Z"),
        argumentSet("03:00 New York", "0 3 * * *", "America/New_York", WINTER, "2026-01-16T08:00:00Z"),
        argumentSet("strictly after a due time", "0 3 * * *", "UTC", Instant.parse("2026-01-16T03:00:00Z"), "2026-01-17T03:00:00Z"),
        argumentSet("Mondays at 03:00", "0 3 * * 1", "UTC", WINTER, "2026-01-19T03:00:00Z"),
        argumentSet("first of the month", "0 3 1 * *", "UTC", WINTER, "2026-02-01T03:00:00Z"),
        argumentSet("every 5 minutes", "*/5 * * * *", "UTC", Instant.parse("2026-01-15T12:01:00Z"), "2026-01-15T12:05:00Z"));
  }

  @ParameterizedTest
  @MethodSource("cronDueTimes")
  void cronIsDueAtTheNextMatchingTimeInItsTimeZone(String expression, String zone, Instant from, String due) {
    assertEquals(Optional.of(Instant.parse(due)), Schedule.parse(expression, zone).nextAfter(from));
  }

  static Stream<Arguments> nicknames() {
    return Stream.of(
        argumentSet("@hourly: on the hour", "@hourly", "UTC", Instant.parse("2026-01-15T12:01:00Z"), "2026-01-15T13:00:00Z"),
        argumentSet("@daily: midnight in its time zone", "@daily", "Europe/Berlin", WINTER, "2026-01-15T23:00:00Z"),
        argumentSet("@midnight: the same as @daily", "@midnight", "UTC", WINTER, "2026-01-16T00:00:00Z"),
        argumentSet("@weekly: Sunday midnight", "@weekly", "UTC", WINTER, "2026-01-18T00:00:00Z"),
        argumentSet("@monthly: the first at midnight", "@monthly", "UTC", WINTER, "2026-02-01T00:00:00Z"),
        argumentSet("@yearly: 1 January at midnight", "@yearly", "UTC", WINTER, "2027-01-01T00:00:00Z"),
        argumentSet("@annually: the same as @yearly", "@annually", "UTC", WINTER, "2027-01-01T00:00:00Z"),
        argumentSet("upper case", "@DAILY", "UTC", WINTER, "2026-01-16T00:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("nicknames")
  void cronNicknamesAreDueAsTheExpressionsTheyStandFor(String expression, String zone, Instant from, String due) {
    Schedule schedule = Schedule.parse(expression, zone);
    assertEquals(Optional.of(Instant.parse(due)), schedule.nextAfter(from));
    assertEquals(expression, schedule.expression());
  }

  @org.junit.jupiter.api.Test
  void aNicknamesLongestIntervalIsItsPeriod() {
    assertEquals(Duration.ofHours(1), Schedule.parse("@hourly", "UTC").longestInterval(WINTER));
    assertEquals(Duration.ofDays(7), Schedule.parse("@weekly", "UTC").longestInterval(WINTER));
    assertEquals(Duration.ofDays(366), Schedule.parse("@yearly", "UTC").longestInterval(WINTER));
  }

  static Stream<Arguments> longestIntervals() {
    return Stream.of(
        argumentSet("daily", "0 3 * * *", "UTC", Duration.ofDays(1)),
        argumentSet("weekly", "0 3 * * 1", "UTC", Duration.ofDays(7)),
        argumentSet("monthly: 31 days", "0 3 1 * *", "UTC", Duration.ofDays(31)),
        argumentSet("monthly in Berlin: 31 days and the hour autumn gives back", "0 3 1 * *", "Europe/Berlin", Duration.ofDays(31).plusHours(1)),
        argumentSet("on the 31st: two months when the next month has 30 days", "0 3 31 * *", "UTC", Duration.ofDays(61)),
        argumentSet("yearly: a leap year", "0 3 1 1 *", "UTC", Duration.ofDays(366)),
        argumentSet("quarterly", "0 3 1 1,4,7,10 *", "UTC", Duration.ofDays(92)));
  }

  @ParameterizedTest
  @MethodSource("longestIntervals")
  void longestIntervalIsTheWidestGapBetweenDueTimes(String expression, String zone, Duration longest) {
    assertEquals(longest, Schedule.parse(expression, zone).longestInterval(WINTER));
  }

  static Stream<Arguments> invalidSchedules() {
    return Stream.of(
        argumentSet("four fields", "0 3 * *", "UTC", "is neither a 5-field cron expression nor \"@every <duration>\""),
        argumentSet("six fields (seconds)", "0 0 3 * * *", "UTC", "is neither a 5-field cron expression"),
        argumentSet("an unknown nickname", "@reboot", "UTC", "nor a nickname: @hourly, @daily, @weekly, @monthly, @yearly"),
        argumentSet("minute 60", "60 3 * * *", "UTC", "is not a valid cron expression"),
        argumentSet("month 13", "0 3 1 13 *", "UTC", "is not a valid cron expression"),
        argumentSet("letters", "a b c d e", "UTC", "is not a valid cron expression"),
        argumentSet("30 February", "0 0 30 2 *", "UTC", "never fires"),
        argumentSet("@every without duration", "@every", "UTC", "is not a duration"),
        argumentSet("@every in words", "@every 5 minutes", "UTC", "\"5 minutes\" is not a duration"),
        argumentSet("@every in days", "@every 180d", "UTC", "\"180d\" is not a duration"),
        argumentSet("@every 0s", "@every 0s", "UTC", "is shorter than 1s"),
        argumentSet("@every over ten years", "@every 100000h", "UTC", "is longer than 3650 days"),
        argumentSet("unknown time zone", "0 3 * * *", "Europe/Atlantis", "time zone \"Europe/Atlantis\" is not an IANA time zone"));
  }

  @ParameterizedTest
  @MethodSource("invalidSchedules")
  void invalidScheduleIsRefusedWithAMessageAPersonCanActOn(String expression, String zone, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse(expression, zone));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void toStringNamesTheZoneOfACron() {
    assertEquals("0 3 * * * (Europe/Berlin)", Schedule.parse("0 3 * * *", "Europe/Berlin").toString());
    assertEquals("@every 4320h", Schedule.parse("@every 4320h", "Europe/Berlin").toString());
  }
}
