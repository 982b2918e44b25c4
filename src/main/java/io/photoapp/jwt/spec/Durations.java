package io.photoapp.jwt.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes (Go) durations such as {@code 90s}, {@code 1h30m}, {@code 4320h}. */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  /** Longer than any sensible rotation setting; refuses values that would overflow time arithmetic. */
  public static final Duration MAX = Duration.ofDays(3650);

  private Durations() {}

  /** Parses a duration; throws {@link IllegalArgumentException} with a message a person can act on. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text.trim()).matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration such as 90s, 30m or 4320h");
    }
    Matcher m = PART.matcher(text.trim());
    BigDecimal nanos = BigDecimal.ZERO;
    while (m.find()) {
      BigDecimal amount = new BigDecimal(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
      if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
        throw new IllegalArgumentException("\"" + text + "\" is longer than " + MAX.toDays() + " days");
      }
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /** Shortest Kubernetes form of a duration, e.g. {@code 4320h}, {@code 30m}, {@code 1h30m}. */
  public static String format(Duration d) {
    long seconds = d.getSeconds();
    if (seconds == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    if (h > 0) sb.append(h).append('h');
    if (m > 0) sb.append(m).append('m');
    if (s > 0) sb.append(s).append('s');
    return sb.toString();
  }
}
