package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.cli.EnvironmentDefaults;
import io.photoapp.jwt.cli.RunCommand;
import io.photoapp.jwt.testing.MutableClock;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README's Install and Operate sections name what the code has: reasons, metrics, alerts, flags, RBAC. */
class OperateDocsTest {
  static String readme;

  @BeforeAll
  static void read() throws IOException {
    readme = Files.readString(Path.of("README.md"));
  }

  static List<String> tableRows() {
    return readme.lines().filter(l -> l.startsWith("| ")).toList();
  }

  static boolean hasRowStartingWith(String cell) {
    return tableRows().stream().anyMatch(l -> l.startsWith("| " + cell + " |"));
  }

  @Test
  void everyEventReasonIsInTheEventsTable() throws IllegalAccessException {
    for (var field : EventReasons.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        String reason = (String) field.get(null);
        assertThat(hasRowStartingWith("`" + reason + "`")).as("events table row for " + reason).isTrue();
      }
    }
  }

  @Test
  void everyOperatorMetricIsInTheMetricsTable() {
    OperatorMetrics metrics = new OperatorMetrics(new MutableClock(Instant.EPOCH));
    metrics.observe("ns", "n", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, true, Set.of("key-age"));
    metrics.rotated("ns", "n", "Manual");
    metrics.rotationFailed("ns", "n");
    metrics.workloadRestarted("ns", "Deployment", "w");
    metrics.workloadFindings(Map.of(new io.photoapp.jwt.audit.WorkloadFindingCounts.Key("ns", "DebugInProduction"), 1));
    metrics.rolloutSlots(() -> 0, () -> 0);
    List<String> names = io.photoapp.jwt.testing.PrometheusText.samples(metrics.scrape()).stream()
        .map(io.photoapp.jwt.testing.PrometheusText.Sample::name).distinct().toList();
    assertThat(names).hasSize(14);
    names.forEach(name -> assertThat(hasRowStartingWith("`" + name + "`")).as("metrics table row for " + name).isTrue());
  }

  @Test
  void everyAlertOfTheChartIsInTheAlertsTable() throws IOException {
    String rules = Files.readString(Path.of("helm/jwt-secret-operator/templates/prometheusrule.yaml"));
    Matcher m = Pattern.compile("- alert: (\\w+)").matcher(rules);
    int alerts = 0;
    while (m.find()) {
      alerts++;
      assertThat(hasRowStartingWith("`" + m.group(1) + "`")).as("alerts table row for " + m.group(1)).isTrue();
    }
    assertThat(alerts).isEqualTo(9);
  }

  @Test
  void everyRunFlagIsInTheConfigurationTableWithItsVariable() {
    new CommandLine(new RunCommand()).getCommandSpec().options().stream()
        .map(CommandLine.Model.OptionSpec::longestName)
        .filter(n -> !Set.of("--help", "--version").contains(n))
        .forEach(flag -> assertThat(tableRows()).as("configuration row for " + flag)
            .anyMatch(l -> l.startsWith("| `" + flag) && l.contains("`" + EnvironmentDefaults.variableFor(flag) + "`")));
  }

  @Test
  void theRbacTableGrantsWhatApiPermissionsLists() {
    for (ApiPermissions.Permission p : ApiPermissions.ALL) {
      String group = "`" + (p.apiGroup().isEmpty() ? "\"\"" : p.apiGroup()) + "`";
      String verbs = String.join(", ", p.verbs());
      assertThat(tableRows()).as("RBAC row for " + p)
          .anyMatch(l -> l.startsWith("| " + group + " |") && l.contains("`" + p.resource() + "`") && l.contains("| " + verbs + " |"));
    }
  }

  @Test
  void theReadmeSaysPlainlyThatSecretListsCannotBeNarrowedByLabel() {
    assertThat(readme).contains("**`list` and `watch` on Secrets cannot be narrowed by label.**")
        .contains("Per-namespace mode (`watchNamespaces`) is the tighter choice");
    assertThat(Arrays.asList("## Install", "## Operate", "## GitOps")).allMatch(h -> readme.contains("\n" + h + "\n"));
  }
}
