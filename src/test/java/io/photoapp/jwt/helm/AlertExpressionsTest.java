package io.photoapp.jwt.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.testing.MutableClock;
import io.photoapp.jwt.testing.PrometheusText;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds every alert and dashboard query to the metric names and labels {@link OperatorMetrics}
 * registers: an alert on a metric the code does not export, or grouping by a label it does not
 * carry, never fires.
 */
class AlertExpressionsTest {
  static final Pattern METRIC = Pattern.compile("\\bjwtsecret_[a-z_]+");
  static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  static final Pattern SELECTOR_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  static final Pattern GROUPING = Pattern.compile("\\b(?:by|on|without|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");

  /** Metric name to its label names, as the operator exports them. */
  static Map<String, Set<String>> registered;
  static ChartTest.Render render;

  @BeforeAll
  static void setUp(@TempDir Path dir) throws IOException {
    registered = exportedMetrics();
    render = ChartTest.render(dir, "monitoring.yaml", """
        serviceMonitor: {enabled: true}
        prometheusRule: {enabled: true}
        dashboard: {enabled: true}
        """);
  }

  /** Calls every recording method once, so that every series the code can export is in the scrape. */
  static Map<String, Set<String>> exportedMetrics() {
    Instant now = Instant.parse("2026-11-28T06:00:00Z");
    OperatorMetrics metrics = new OperatorMetrics(new MutableClock(now));
    metrics.observe("ns", "jwt", now, now, now, true, Set.of("key-age"));
    metrics.observeStage("ns", "jwt", Phase.Publishing, false);
    metrics.rotated("ns", "jwt", "Scheduled");
    metrics.rotationFailed("ns", "jwt");
    metrics.pushFailures("ns", "jwt", "spec.push[0]").increment();
    metrics.workloadRestarted("ns", "Deployment", "app");
    metrics.workloadFindings(java.util.Map.of(new io.photoapp.jwt.audit.WorkloadFindingCounts.Key("ns", "DebugInProduction"), 1));
    Map<String, Set<String>> names = new TreeMap<>();
    for (PrometheusText.Sample sample : PrometheusText.samples(metrics.scrape())) {
      names.computeIfAbsent(sample.name(), n -> new TreeSet<>()).addAll(sample.labels().keySet());
    }
    return names;
  }

  @Test
  void theOperatorExportsTheStageGauges() {
    assertThat(registered).containsEntry("jwtsecret_phase", Set.of("namespace", "name", "phase"));
    assertThat(registered).containsEntry("jwtsecret_rollout_complete", Set.of("namespace", "name"));
    assertThat(registered).containsEntry("jwtsecret_push_failures_total", Set.of("namespace", "name", "target"));
  }

  @Test
  void everyAlertUsesMetricsAndLabelsTheOperatorExports() {
    Map<String, Map<String, Object>> alerts = ChartTest.alerts(render);
    assertThat(alerts).isNotEmpty();
    alerts.forEach((name, alert) -> {
      String expr = (String) alert.get("expr");
      List<String> problems = problems(expr);
      @SuppressWarnings("unchecked")
      Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
      Set<String> outputLabels = outputLabels(expr);
      for (String text : annotations.values()) {
        Matcher m = TEMPLATE_LABEL.matcher(text);
        while (m.find()) {
          if (!outputLabels.contains(m.group(1))) {
            problems.add("the annotation names $labels." + m.group(1) + ", which the expression's result lacks");
          }
        }
      }
      assertThat(problems).as("alert %s: %s", name, expr).isEmpty();
    });
  }

  @Test
  void everyDashboardQueryUsesMetricsAndLabelsTheOperatorExports() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(render.one(ConfigMap.class).getData().get("jwt-secret-operator.json"));
    List<String> exprs = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
    dashboard.findValues("definition").forEach(e -> exprs.add(e.asText()));
    assertThat(exprs).isNotEmpty();
    for (String expr : exprs) {
      assertThat(problems(expr)).as(expr).isEmpty();
    }
  }

  @Test
  void theCheckerCatchesAnUnknownMetricAndAnUnknownLabel() {
    assertThat(problems("jwtsecret_rotation_failure_total > 0")).isNotEmpty();
    assertThat(problems("max by (namespace, target) (jwtsecret_ready) == 0")).isNotEmpty();
    assertThat(problems("jwtsecret_ready{exported_namespace=\"a\"} == 0")).isNotEmpty();
    assertThat(problems("max by (namespace, name) (jwtsecret_ready) == 0")).isEmpty();
  }

  /** What is wrong with {@code expr}, parsed loosely: metric names, selector labels and grouping labels. */
  static List<String> problems(String expr) {
    List<String> problems = new ArrayList<>();
    Set<String> metrics = metricsIn(expr);
    for (String metric : metrics) {
      if (!registered.containsKey(metric)) {
        problems.add("the operator exports no " + metric);
      }
    }
    Matcher selector = SELECTOR.matcher(expr);
    while (selector.find()) {
      Set<String> labels = registered.get(selector.group(1));
      if (labels == null) {
        continue; // Prometheus' own series (up) or a function call
      }
      Matcher label = SELECTOR_LABEL.matcher(selector.group(2));
      while (label.find()) {
        if (!labels.contains(label.group(1)) && !label.group(1).equals("__name__")) {
          problems.add(selector.group(1) + " has no label " + label.group(1));
        }
      }
    }
    Matcher grouping = GROUPING.matcher(expr);
    while (grouping.find()) {
      for (String label : labelList(grouping.group(1))) {
        for (String metric : metrics) {
          if (registered.containsKey(metric) && !registered.get(metric).contains(label)) {
            problems.add(metric + " has no label " + label + " to group by");
          }
        }
      }
    }
    return problems;
  }

  /** The labels an alert's result carries: its by(...) list when it aggregates, else every metric's labels. */
  static Set<String> outputLabels(String expr) {
    Matcher by = Pattern.compile("\\bby\\s*\\(([^)]*)\\)").matcher(expr);
    if (by.find()) {
      return new TreeSet<>(labelList(by.group(1)));
    }
    Set<String> labels = null;
    for (String metric : metricsIn(expr)) {
      Set<String> of = registered.getOrDefault(metric, Set.of());
      if (labels == null) {
        labels = new TreeSet<>(of);
      } else {
        labels.retainAll(of);
      }
    }
    return labels == null ? Set.of() : labels;
  }

  static Set<String> metricsIn(String expr) {
    Set<String> metrics = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      metrics.add(m.group());
    }
    return metrics;
  }

  static List<String> labelList(String list) {
    return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
