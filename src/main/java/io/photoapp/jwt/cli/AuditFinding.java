package io.photoapp.jwt.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.photoapp.jwt.audit.GuideRules;
import io.photoapp.jwt.audit.WorkloadFinding;
import io.photoapp.jwt.policy.Finding;
import java.util.Locale;

/**
 * One thing the audit found about a JwtSecret, an unmanaged Secret or a workload: names, key ids and
 * rule names, never a key value. {@code guide} is the item of the security guide the rule checks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AuditFinding(String namespace, String environment, String kind, String name, String container, String variable,
    String dataKey, String secret, String keyId, String rule, String guide, String severity, String message) {
  static final String JWT_SECRET = "JwtSecret";
  static final String SECRET = "Secret";

  static AuditFinding of(String namespace, String kind, String name, String dataKey, String keyId, Finding finding) {
    return new AuditFinding(namespace, null, kind, name, null, null, dataKey, null, keyId, finding.rule(),
        GuideRules.itemOf(finding.rule()), severity(finding), finding.message());
  }

  static AuditFinding of(WorkloadFinding w) {
    return new AuditFinding(w.namespace(), null, w.kind(), w.name(), w.container(), w.variable(), null, w.secret(),
        w.keyId(), w.finding().rule(), GuideRules.itemOf(w.finding().rule()), severity(w.finding()), w.finding().message());
  }

  AuditFinding inEnvironment(String env) {
    return new AuditFinding(namespace, env, kind, name, container, variable, dataKey, secret, keyId, rule, guide, severity,
        message);
  }

  /** Where in the object: the data key of a Secret, the container and variable of a workload. */
  @JsonIgnore
  String where() {
    if (dataKey != null) {
      return dataKey;
    }
    if (container != null && variable != null) {
      return container + "/" + variable;
    }
    return container != null ? container : variable != null ? variable : null;
  }

  @JsonIgnore
  boolean isViolation() {
    return "violation".equals(severity);
  }

  /** 0 for a JwtSecret, 1 for a Secret, 2 for a workload: the order of a namespace's findings. */
  @JsonIgnore
  int kindOrder() {
    return JWT_SECRET.equals(kind) ? 0 : SECRET.equals(kind) ? 1 : 2;
  }

  private static String severity(Finding f) {
    return f.severity().name().toLowerCase(Locale.ROOT);
  }
}
