package io.photoapp.jwt.cli;

import static io.photoapp.jwt.cli.AuditCommand.count;

import java.util.List;

/**
 * The audit as a Markdown document an auditor reads: per environment (strictest first) a summary line,
 * then per namespace its JwtSecrets' keys against their profile and its findings with the guide's item
 * each checks. Pure: the same report always renders the same text.
 */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(AuditReport r) {
    StringBuilder md = new StringBuilder();
    md.append("# JWT secret audit\n\n");
    md.append("Scope: ").append(r.scope()).append(", at ").append(r.generatedAt()).append(". ")
        .append(r.findings().isEmpty() ? "No problems found." : count(r.violations(), "violation") + ", "
            + count(r.warnings(), "warning") + ".")
        .append(" Checked ").append(count(r.jwtSecrets(), "JwtSecret")).append(", ")
        .append(count(r.unmanagedSecretsWithJwtKeys(), "unmanaged Secret")).append(" with JWT keys (")
        .append(count(r.secretsScanned(), "Secret")).append(" scanned) and ")
        .append(count(r.workloadsScanned(), "workload")).append(".\n");
    for (AuditReport.EnvironmentSummary env : r.environments()) {
      md.append("\n## Environment: ").append(env.environment()).append("\n\n");
      md.append("Summary: ").append(count(env.namespaces(), "namespace")).append(", ")
          .append(count(env.jwtSecrets(), "JwtSecret")).append(", ").append(count(env.workloads(), "workload"))
          .append(" with JWT settings: ").append(count(env.violations(), "violation")).append(", ")
          .append(count(env.warnings(), "warning")).append(".\n");
      for (AuditReport.NamespaceReport ns : r.namespaces()) {
        if (ns.environment().equals(env.environment())) {
          namespace(md, ns, r.findings().stream().filter(f -> f.namespace().equals(ns.namespace())).toList());
        }
      }
    }
    if (!r.notes().isEmpty()) {
      md.append("\n## Not checked\n\n");
      r.notes().forEach(n -> md.append("- ").append(cell(n)).append('\n'));
    }
    return md.toString();
  }

  private static void namespace(StringBuilder md, AuditReport.NamespaceReport ns, List<AuditFinding> findings) {
    md.append("\n### Namespace ").append(ns.namespace()).append("\n\n");
    if (!ns.jwtSecrets().isEmpty()) {
      md.append("| JwtSecret | profile | key id | key age | longest allowed | last rotation | next rotation |\n");
      md.append("|---|---|---|---|---|---|---|\n");
      for (AuditReport.KeyRow k : ns.jwtSecrets()) {
        md.append("| ").append(k.name()).append(" | ").append(dash(k.profile())).append(" | ")
            .append(k.keyId() == null ? "-" : "`" + k.keyId() + "`").append(" | ")
            .append(k.keyAgeDays() == null ? "-" : count(k.keyAgeDays(), "day")
                + (k.maxKeyAgeDays() != null && k.keyAgeDays() > k.maxKeyAgeDays() ? " (**over the limit**)" : ""))
            .append(" | ")
            .append(k.maxKeyAgeDays() == null ? (k.profile() == null ? "-" : "no limit") : count(k.maxKeyAgeDays(), "day"))
            .append(" | ").append(dash(k.lastRotationTime())).append(" | ").append(dash(k.nextRotationTime())).append(" |\n");
      }
      md.append('\n');
    }
    if (findings.isEmpty()) {
      md.append("No findings.\n");
      return;
    }
    md.append("| severity | kind | name | where | rule | guide | message |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (AuditFinding f : findings) {
      md.append("| ").append(f.severity()).append(" | ").append(f.kind()).append(" | ").append(cell(f.name()))
          .append(" | ").append(dash(cell(f.where()))).append(" | ").append(f.rule()).append(" | ")
          .append(dash(cell(f.guide()))).append(" | ").append(cell(f.message())).append(" |\n");
    }
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** A table cell: no line break, no column separator, no HTML. */
  static String cell(String s) {
    if (s == null) {
      return null;
    }
    return s.replaceAll("\\s*\\R\\s*", " ").replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
        .replace(">", "&gt;");
  }
}
