package io.photoapp.jwt.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition, as a scraper would. */
public final class PrometheusText {
  /** One sample: a metric name, its labels and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PrometheusText() {}

  public static List<Sample> samples(String text) {
    return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(PrometheusText::parse).toList();
  }

  /** The value of the sample with this name whose labels include {@code labels}; empty if none. */
  public static OptionalDouble value(String text, String name, Map<String, String> labels) {
    return samples(text).stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value).findFirst();
  }

  private static Sample parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.find()) {
      throw new IllegalArgumentException("not a sample line: " + line);
    }
    Map<String, String> labels = new HashMap<>();
    if (m.group(2) != null) {
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
    }
    String value = m.group(3).replace("Inf", "Infinity");
    return new Sample(m.group(1), labels, Double.parseDouble(value));
  }
}
