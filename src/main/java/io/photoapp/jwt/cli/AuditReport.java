package io.photoapp.jwt.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the audit checked, what it found, and what it could not check; the {@code -o json} document
 * (schema {@value #SCHEMA}, README "audit"): fields are only ever added to it.
 */
record AuditReport(String schema, String scope, String generatedAt, int jwtSecrets, int unmanagedSecretsWithJwtKeys,
    int secretsScanned, int workloadsScanned, long violations, long warnings, List<EnvironmentSummary> environments,
    List<NamespaceReport> namespaces, List<AuditFinding> findings, List<String> notes) {
  static final String SCHEMA = "jwt.photoapp.io/audit-report/v1";
  /** Environments from the strictest; a namespace with no JwtSecret and no label last. */
  static final List<String> ENVIRONMENT_ORDER = List.of("production", "test", "development", "unspecified");

  /** A JwtSecret's key against its profile, and its rotations. Times are RFC 3339; absent when unknown. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record KeyRow(String name, String profile, String keyId, String keyCreatedAt, Long keyAgeDays, Long maxKeyAgeDays,
      String lastRotationTime, String nextRotationTime) {}

  /** One namespace: its effective environment, JwtSecrets, the workloads read, and its counts. */
  record NamespaceReport(String namespace, String environment, List<KeyRow> jwtSecrets, int workloads, long violations,
      long warnings) {}

  /** The summary line of one environment. */
  record EnvironmentSummary(String environment, int namespaces, int jwtSecrets, int workloads, long violations,
      long warnings) {}

  /** Counts the findings per namespace and per environment; namespaces come sorted by environment, then name. */
  static AuditReport of(String scope, String generatedAt, int unmanaged, int secretsScanned, int workloadsScanned,
      List<NamespaceReport> namespaces, List<AuditFinding> findings, List<String> notes) {
    List<NamespaceReport> counted = new ArrayList<>();
    for (NamespaceReport n : namespaces) {
      List<AuditFinding> own = findings.stream().filter(f -> f.namespace().equals(n.namespace())).toList();
      long v = own.stream().filter(AuditFinding::isViolation).count();
      counted.add(new NamespaceReport(n.namespace(), n.environment(), n.jwtSecrets(), n.workloads(), v, own.size() - v));
    }
    counted.sort(Comparator.comparing((NamespaceReport n) -> ENVIRONMENT_ORDER.indexOf(n.environment()))
        .thenComparing(NamespaceReport::namespace));
    Map<String, EnvironmentSummary> environments = new LinkedHashMap<>();
    for (NamespaceReport n : counted) {
      environments.merge(n.environment(), new EnvironmentSummary(n.environment(), 1, n.jwtSecrets().size(), n.workloads(),
          n.violations(), n.warnings()), (a, b) -> new EnvironmentSummary(a.environment(), a.namespaces() + 1,
          a.jwtSecrets() + b.jwtSecrets(), a.workloads() + b.workloads(), a.violations() + b.violations(),
          a.warnings() + b.warnings()));
    }
    List<AuditFinding> sorted = new ArrayList<>(findings);
    sorted.sort(Comparator.comparing(AuditFinding::namespace).thenComparing(AuditFinding::kindOrder)
        .thenComparing(AuditFinding::kind).thenComparing(AuditFinding::name));
    long violations = findings.stream().filter(AuditFinding::isViolation).count();
    int jwtSecrets = counted.stream().mapToInt(n -> n.jwtSecrets().size()).sum();
    return new AuditReport(SCHEMA, scope, generatedAt, jwtSecrets, unmanaged, secretsScanned, workloadsScanned, violations,
        findings.size() - violations, List.copyOf(environments.values()), List.copyOf(counted), List.copyOf(sorted),
        List.copyOf(notes));
  }
}
