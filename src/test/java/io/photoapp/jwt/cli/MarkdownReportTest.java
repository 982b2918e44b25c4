package io.photoapp.jwt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.audit.WorkloadFinding;
import io.photoapp.jwt.audit.WorkloadRules;
import io.photoapp.jwt.policy.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Markdown report against a golden file (src/test/resources/audit/report.md). After an intended
 * change, run with {@code -Daudit.golden.update=true} once and review the file's diff.
 */
class MarkdownReportTest {
  static final Path GOLDEN = Path.of("src/test/resources/audit/report.md");

  static AuditReport report() {
    List<AuditReport.NamespaceReport> namespaces = List.of(
        new AuditReport.NamespaceReport("staging", "test", List.of(new AuditReport.KeyRow("photoapp-jwt", "test",
            "Zt1aQ9wLp0sXr2Bq", "2026-09-01T06:00:00Z", 88L, null, "2026-09-01T06:00:00Z", "2027-02-28T06:00:00Z")), 1, 0, 0),
        new AuditReport.NamespaceReport("photoapp", "production", List.of(
            new AuditReport.KeyRow("photoapp-jwt", "production", "5mX0c3QkzT1aQ9wA", "2026-04-01T06:00:00Z", 241L, 180L,
                "2026-04-01T06:00:00Z", "2026-09-28T06:00:00Z"),
            new AuditReport.KeyRow("broken-jwt", null, null, null, null, null, null, null)), 2, 0, 0),
        new AuditReport.NamespaceReport("tools", "unspecified", List.of(), 1, 0, 0));
    List<AuditFinding> findings = List.of(
        AuditFinding.of("photoapp", "JwtSecret", "photoapp-jwt", null, "5mX0c3QkzT1aQ9wA", Finding.violation(Finding.KEY_AGE,
            "the current key is 241 days old; production allows at most 180")).inEnvironment("production"),
        AuditFinding.of("photoapp", "JwtSecret", "broken-jwt", null, null, Finding.violation("invalid-spec",
            "spec.rotation.schedule \"every | tuesday\" is not a cron expression")).inEnvironment("production"),
        AuditFinding.of(new WorkloadFinding("Deployment", "photoapp", "photoapp-backend", "api", "JWT_SECRET_KEY", null,
            "k3Hq9Zt1aQ9wLp0s", Finding.violation(WorkloadRules.LITERAL_SECRET, "Deployment photoapp-backend container api"
                + " sets JWT_SECRET_KEY with a literal value"))).inEnvironment("production"),
        AuditFinding.of(new WorkloadFinding("Deployment", "photoapp", "photoapp-backend", "api", "DEBUG", null, null,
            Finding.violation(WorkloadRules.DEBUG_IN_PRODUCTION, "Deployment photoapp-backend container api sets DEBUG on"
                + " in production namespace photoapp"))).inEnvironment("production"),
        AuditFinding.of(new WorkloadFinding("CronJob", "photoapp", "nightly", "report", "JWT_SECRET", "hand-made", null,
            Finding.warning(WorkloadRules.UNMANAGED_KEY_SOURCE, "CronJob nightly: container report reads JWT_SECRET from"
                + " Secret hand-made (data key key), which no JwtSecret manages"))).inEnvironment("production"),
        AuditFinding.of("tools", "Secret", "legacy", "JWT_SECRET_KEY", "Qw3rTyUiOpAsDfGh", Finding.violation(Finding.WEAK_KEY,
            "the value is a known weak or placeholder value")).inEnvironment("unspecified"));
    return AuditReport.of("all namespaces", "2026-11-28T06:00:00Z", 1, 12, 9, namespaces, findings,
        List.of("cannot list pods in every namespace (forbidden: pods is forbidden): Pods were not audited; grant list on pods"));
  }

  @Test
  void theReportReadsAsTheGoldenFile() throws IOException {
    String rendered = MarkdownReport.render(report());
    if (Boolean.getBoolean("audit.golden.update")) {
      Files.writeString(GOLDEN, rendered);
    }

    assertThat(rendered).isEqualTo(Files.readString(GOLDEN));
  }

  @Test
  void aCellCannotBreakTheTable() {
    assertThat(MarkdownReport.cell("a | b\n| c <script>")).isEqualTo("a \\| b \\| c &lt;script&gt;");
  }

  @Test
  void everyFieldOfTheJsonDocumentIsInTheReadmesSchemaTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String schema = readme.substring(readme.indexOf("### Auditing workloads"));
    com.fasterxml.jackson.databind.JsonNode json = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
        .readTree(OutputFormat.JSON.render(report()));
    java.util.Set<String> fields = new java.util.TreeSet<>();
    collect(json, fields);

    assertThat(fields).hasSizeGreaterThan(30).allSatisfy(f -> assertThat(schema.contains("`" + f + "`")
        || schema.contains("`" + f + "[]`")).as("README documents " + f).isTrue());
    assertThat(json.get("schema").asText()).isEqualTo(AuditReport.SCHEMA);
  }

  private static void collect(com.fasterxml.jackson.databind.JsonNode node, java.util.Set<String> fields) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        fields.add(e.getKey());
        collect(e.getValue(), fields);
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, fields));
    }
  }
}
