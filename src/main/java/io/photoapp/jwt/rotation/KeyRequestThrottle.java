package io.photoapp.jwt.rotation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How often one JwtSecret may have new keys made: at most {@link #MAX_KEYS} within {@link #WINDOW},
 * emergencies included, so that a tenant cannot keep the operator generating keys (one 8192-bit RSA
 * key costs up to a minute of CPU). A pure function of the recorded key creation times and now; the
 * times come from the Secret's annotation {@code jwt.photoapp.io/recent-keys} and its keys.
 */
public final class KeyRequestThrottle {
  public static final int MAX_KEYS = 3;
  public static final Duration WINDOW = Duration.ofMinutes(10);

  /** At most {@code maxKeys} new keys within {@code window}. */
  public record Limit(int maxKeys, Duration window) {
    /** What the operator applies: 3 keys in 10 minutes. */
    public static final Limit DEFAULT = new Limit(MAX_KEYS, WINDOW);
  }

  /** Entries of the annotation read at most: it is in a Secret a tenant may edit. */
  private static final int MAX_READ = 16;

  private KeyRequestThrottle() {}

  /**
   * When the next new key may be made: empty when it may be made now, else the moment the oldest
   * counted key leaves the window. Times after now are ignored (a clock step back, or an edited
   * annotation, never blocks keys for long).
   */
  public static Optional<Instant> waitUntil(Collection<Instant> recorded, Instant now) {
    return waitUntil(Limit.DEFAULT, recorded, now);
  }

  /** {@link #waitUntil(Collection, Instant)} under another limit. */
  public static Optional<Instant> waitUntil(Limit limit, Collection<Instant> recorded, Instant now) {
    List<Instant> inWindow = recent(limit, recorded, now);
    if (inWindow.size() < limit.maxKeys()) {
      return Optional.empty();
    }
    // Once the first (size - maxKeys + 1) of them have left, fewer than maxKeys remain.
    return Optional.of(inWindow.get(inWindow.size() - limit.maxKeys()).plus(limit.window()));
  }

  /** The distinct times within the window ending at now, oldest first. */
  public static List<Instant> recent(Limit limit, Collection<Instant> recorded, Instant now) {
    Instant from = now.minus(limit.window());
    return new ArrayList<>(recorded.stream().filter(t -> t.isAfter(from) && !t.isAfter(now))
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  /** Whether carrying out the decision makes a new key. */
  public static boolean makesKey(RotationDecision decision, Optional<KeyState> state) {
    return switch (decision.action()) {
      case CREATE, PUBLISH, EMERGENCY -> true;
      case SWITCH -> state.map(s -> s.next().isEmpty()).orElse(true);
      default -> false;
    };
  }

  /** Creation times of the keys a state holds. */
  public static List<Instant> creationTimes(Optional<KeyState> state) {
    return state.map(s -> s.keys().stream().map(StoredKey::createdAt).toList()).orElse(List.of());
  }

  /** The annotation's times; entries that are no RFC 3339 time are skipped. */
  public static List<Instant> parse(String annotation) {
    List<Instant> times = new ArrayList<>();
    if (annotation == null || annotation.length() > MAX_READ * 40) {
      return times;
    }
    for (String part : annotation.split(",", MAX_READ + 1)) {
      if (times.size() == MAX_READ) {
        break;
      }
      try {
        times.add(OffsetDateTime.parse(part.trim()).toInstant());
      } catch (DateTimeParseException e) {
        // Not written by the operator: ignored.
      }
    }
    return times;
  }

  /** The annotation's value: the times within the window ending at now, oldest first; empty when none. */
  public static String format(Collection<Instant> recorded, Instant now) {
    return format(Limit.DEFAULT, recorded, now);
  }

  /** {@link #format(Collection, Instant)} under another limit. */
  public static String format(Limit limit, Collection<Instant> recorded, Instant now) {
    return recent(limit, recorded, now).stream().map(Instant::toString).collect(Collectors.joining(","));
  }

  /** The message of a held request: when it may proceed and how long that is from now. */
  public static String message(Instant until, Instant now) {
    return message(Limit.DEFAULT, until, now);
  }

  /** {@link #message(Instant, Instant)} under another limit. */
  public static String message(Limit limit, Instant until, Instant now) {
    Duration wait = Duration.between(now, until);
    return "more than " + limit.maxKeys() + " new keys within " + format(limit.window())
        + " were asked for; the next may be made at "
        + until + ", in " + format(wait);
  }

  private static String format(Duration d) {
    long s = Math.max(0, (d.toMillis() + 999) / 1000);
    return (s >= 60 ? s / 60 + "m" : "") + (s % 60 != 0 || s < 60 ? s % 60 + "s" : "");
  }
}
