package io.photoapp.jwt.spec;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A rotation schedule: a 5-field cron in a time zone, a cron nickname ({@code @hourly}, {@code @daily},
 * {@code @weekly}, {@code @monthly}, {@code @yearly}), or {@code @every <duration>}.
 */
public final class Schedule {
  public static final String DEFAULT = "@every 4320h";
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Duration SHORTEST_EVERY = Duration.ofSeconds(1);
  /** Vixie cron's nicknames, as the 5-field expressions they stand for (cron-utils' UNIX definition has none). */
  static final Map<String, String> NICKNAMES = Map.of(
      "@hourly", "0 * * * *",
      "@daily", "0 0 * * *",
      "@midnight", "0 0 * * *",
      "@weekly", "0 0 * * 0",
      "@monthly", "0 0 1 * *",
      "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *");

  private final String expression;
  private final ZoneId zone;
  private final Duration every;
  private final ExecutionTime cron;

  private Schedule(String expression, ZoneId zone, Duration every, ExecutionTime cron) {
    this.expression = expression;
    this.zone = zone;
    this.every = every;
    this.cron = cron;
  }

  /** Parses a schedule; throws {@link IllegalArgumentException} with a message a person can act on. */
  public static Schedule parse(String expression, String timeZone) {
    String expr = expression == null || expression.isBlank() ? DEFAULT : expression.trim();
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time zone \"" + timeZone + "\" is not an IANA time zone such as UTC or Europe/Berlin");
    }
    if (expr.startsWith("@every")) {
      Duration d = Durations.parse(expr.substring("@every".length()).trim());
      if (d.compareTo(SHORTEST_EVERY) < 0) {
        throw new IllegalArgumentException("schedule \"" + expr + "\" is shorter than 1s");
      }
      return new Schedule(expr, zone, d, null);
    }
    String fields = expr.startsWith("@") ? NICKNAMES.get(expr.toLowerCase(Locale.ROOT)) : expr;
    if (fields == null || fields.split("\\s+").length != 5) {
      throw new IllegalArgumentException("schedule \"" + expr + "\" is neither a 5-field cron expression nor \"@every <duration>\""
          + " (nor a nickname: @hourly, @daily, @weekly, @monthly, @yearly)");
    }
    try {
      ExecutionTime cron = ExecutionTime.forCron(PARSER.parse(fields).validate());
      Schedule s = new Schedule(expr, zone, null, cron);
      if (s.nextAfter(Instant.EPOCH.plus(Duration.ofDays(365 * 50))).isEmpty()) {
        throw new IllegalArgumentException("schedule \"" + expr + "\" never fires");
      }
      return s;
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("schedule \"")) {
        throw e;
      }
      throw new IllegalArgumentException("schedule \"" + expr + "\" is not a valid cron expression: " + e.getMessage());
    }
  }

  /** The first due time strictly after {@code from}. */
  public Optional<Instant> nextAfter(Instant from) {
    if (every != null) {
      return Optional.of(from.plus(every));
    }
    return cron.nextExecution(ZonedDateTime.ofInstant(from, zone)).map(ZonedDateTime::toInstant);
  }

  /** The longest gap between two due times, for the profile's rotation-interval rule. */
  public Duration longestInterval(Instant reference) {
    if (every != null) {
      return every;
    }
    Duration longest = Duration.ZERO;
    Instant t = nextAfter(reference).orElse(reference);
    for (int i = 0; i < 24; i++) {
      Optional<Instant> next = nextAfter(t);
      if (next.isEmpty()) {
        return Duration.ofDays(36500);
      }
      Duration gap = Duration.between(t, next.get());
      if (gap.compareTo(longest) > 0) {
        longest = gap;
      }
      t = next.get();
    }
    // Bursty crons (every minute of 1 January) hide their long gap from consecutive due times.
    for (int day = 0; day < 2 * 366; day++) {
      Instant probe = reference.plus(Duration.ofDays(day));
      Optional<Instant> next = nextAfter(probe);
      if (next.isEmpty()) {
        return Duration.ofDays(36500);
      }
      Duration gap = Duration.between(probe, next.get());
      if (gap.compareTo(longest) > 0) {
        longest = gap;
      }
    }
    return longest;
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return every != null ? expression : expression + " (" + zone + ")";
  }
}
