package io.photoapp.jwt.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.photoapp.jwt.policy.Finding;
import java.util.Locale;

/** One thing the audit found about a JwtSecret or an unmanaged Secret: key ids and rule names, never a key value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AuditFinding(String namespace, String kind, String name, String dataKey, String keyId, String rule,
    String severity, String message) {
  static final String JWT_SECRET = "JwtSecret";
  static final String SECRET = "Secret";

  static AuditFinding of(String namespace, String kind, String name, String dataKey, String keyId, Finding finding) {
    return new AuditFinding(namespace, kind, name, dataKey, keyId, finding.rule(),
        finding.severity().name().toLowerCase(Locale.ROOT), finding.message());
  }

  @JsonIgnore
  boolean isViolation() {
    return "violation".equals(severity);
  }
}
