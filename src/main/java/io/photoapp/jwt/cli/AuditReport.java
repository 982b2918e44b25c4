package io.photoapp.jwt.cli;

import java.util.List;

/** What the audit checked, what it found, and what it could not check. */
record AuditReport(String scope, int jwtSecrets, int unmanagedSecretsWithJwtKeys, int secretsScanned,
    long violations, long warnings, List<AuditFinding> findings, List<String> notes) {

  static AuditReport of(String scope, int jwtSecrets, int unmanaged, int scanned, List<AuditFinding> findings,
      List<String> notes) {
    long violations = findings.stream().filter(AuditFinding::isViolation).count();
    return new AuditReport(scope, jwtSecrets, unmanaged, scanned, violations, findings.size() - violations,
        List.copyOf(findings), List.copyOf(notes));
  }
}
