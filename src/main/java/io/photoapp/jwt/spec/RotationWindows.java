package io.photoapp.jwt.spec;

import io.photoapp.jwt.api.RotationWindow;
import io.photoapp.jwt.api.Weekday;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times of the week, in a time zone, in which planned rotation stages may start
 * ({@code spec.rotation.windows}). No windows: any time. Pure: the caller passes now.
 */
public final class RotationWindows {
  /** Any time: what a JwtSecret without windows has. */
  public static final RotationWindows ALWAYS = new RotationWindows(List.of(), ZoneId.of("UTC"));
  private static final Pattern TIME = Pattern.compile(RotationWindow.TIME_PATTERN);

  /** One window: opens on each of {@code days} at {@code start}, closes at {@code end} (the next day when end ≤ start). */
  public record Window(Set<DayOfWeek> days, LocalTime start, LocalTime end, boolean endsAtMidnight) {
    /** The moment it opens on a local date, and the moment it closes, or empty when it does not open that day. */
    Optional<Instant[]> on(LocalDate date, ZoneId zone) {
      if (!days.contains(date.getDayOfWeek())) {
        return Optional.empty();
      }
      Instant open = ZonedDateTime.of(date, start, zone).toInstant();
      LocalDate endDate = endsAtMidnight || !end.isAfter(start) ? date.plusDays(1) : date;
      Instant close = ZonedDateTime.of(endDate, endsAtMidnight ? LocalTime.MIDNIGHT : end, zone).toInstant();
      return Optional.of(new Instant[] {open, close});
    }

    @Override
    public String toString() {
      String d = days.size() == 7 ? "every day" : days.stream().sorted()
          .map(x -> Weekday.values()[x.getValue() - 1].name()).reduce((a, b) -> a + "," + b).orElse("");
      return d + " " + start + "-" + (endsAtMidnight ? "24:00" : end.toString());
    }
  }

  private final List<Window> windows;
  private final ZoneId zone;

  public RotationWindows(List<Window> windows, ZoneId zone) {
    this.windows = List.copyOf(windows);
    this.zone = zone;
  }

  /** Reads spec.rotation.windows; each problem is added to {@code problems} and its window left out. */
  public static RotationWindows resolve(List<RotationWindow> specs, ZoneId zone, List<String> problems) {
    if (specs == null || specs.isEmpty()) {
      return ALWAYS;
    }
    if (specs.size() > io.photoapp.jwt.api.Limits.WINDOWS) {
      problems.add("spec.rotation.windows has " + specs.size() + " windows, more than " + io.photoapp.jwt.api.Limits.WINDOWS);
      return ALWAYS;
    }
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      String where = "spec.rotation.windows[" + i + "]";
      RotationWindow w = specs.get(i);
      if (w == null) {
        problems.add(where + " is empty");
        continue;
      }
      Optional<LocalTime> start = time(where + ".start", w.start, problems);
      Optional<LocalTime> end = time(where + ".end", w.end, problems);
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      if (w.days != null && w.days.size() > 7) {
        problems.add(where + ".days has " + w.days.size() + " days, more than 7");
        continue;
      }
      if (w.days == null || w.days.isEmpty()) {
        days = EnumSet.allOf(DayOfWeek.class);
      } else {
        // An unknown day reads as null and is reported as an unrecognized value.
        w.days.stream().filter(java.util.Objects::nonNull).map(Weekday::toDayOfWeek).forEach(days::add);
      }
      if (start.isEmpty() || end.isEmpty() || days.isEmpty()) {
        continue;
      }
      boolean midnight = "24:00".equals(w.end.trim());
      if (!midnight && start.get().equals(end.get())) {
        problems.add(where + " opens and closes at " + start.get() + ": an empty window (use 00:00 to 24:00 for a whole day)");
        continue;
      }
      if ("24:00".equals(w.start.trim())) {
        problems.add(where + ".start 24:00 is not a time of day (use 00:00)");
        continue;
      }
      windows.add(new Window(days, start.get(), midnight ? LocalTime.MIDNIGHT : end.get(), midnight));
    }
    return windows.isEmpty() ? ALWAYS : new RotationWindows(windows, zone);
  }

  private static Optional<LocalTime> time(String field, String text, List<String> problems) {
    if (text == null || text.isBlank()) {
      problems.add(field + " is required: a time such as 02:00");
      return Optional.empty();
    }
    Matcher m = TIME.matcher(text.trim());
    if (text.length() > 5 || !m.matches()) {
      problems.add(field + " " + SpecResolver.quote(text) + " is not a time HH:MM such as 02:00");
      return Optional.empty();
    }
    return Optional.of(text.trim().equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(text.trim()));
  }

  /** Whether there are windows at all (none: any time). */
  public boolean restricted() {
    return !windows.isEmpty();
  }

  /** Whether a stage may start at {@code now}. */
  public boolean isOpen(Instant now) {
    if (windows.isEmpty()) {
      return true;
    }
    LocalDate today = now.atZone(zone).toLocalDate();
    // A window that opened yesterday may still be open (it crosses midnight, or a DST shift).
    for (LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
      for (Window w : windows) {
        Optional<Instant[]> span = w.on(d, zone);
        if (span.isPresent() && !now.isBefore(span.get()[0]) && now.isBefore(span.get()[1])) {
          return true;
        }
      }
    }
    return false;
  }

  /** The next moment a window opens after {@code now}; empty without windows. */
  public Optional<Instant> nextOpening(Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    Instant best = null;
    for (LocalDate d = today.minusDays(1); !d.isAfter(today.plusDays(8)); d = d.plusDays(1)) {
      for (Window w : windows) {
        Optional<Instant[]> span = w.on(d, zone);
        if (span.isPresent() && span.get()[0].isAfter(now) && (best == null || span.get()[0].isBefore(best))) {
          best = span.get()[0];
        }
      }
    }
    return Optional.ofNullable(best);
  }

  public List<Window> windows() {
    return windows;
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return windows.isEmpty() ? "any time" : windows.stream().map(Window::toString).reduce((a, b) -> a + "; " + b).orElse("")
        + " (" + zone + ")";
  }
}
