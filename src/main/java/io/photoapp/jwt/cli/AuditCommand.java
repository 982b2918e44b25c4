package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks every JwtSecret, its Secret, unmanaged JWT-looking Secrets and workloads against the policy; exit 1 on a violation. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Check every JwtSecret and JWT-looking Secret against the policy.",
        "Checks every JwtSecret and its Secret against its profile (raised by the namespace label "
            + "jwt.photoapp.io/minimum-environment) and the cluster-wide unique-key rule, naming both holders of a "
            + "shared key; and checks Secrets the operator does not manage whose data keys look like JWT keys "
            + "(JWT_SECRET_KEY, jwt-secret, jwtSecret, jwt_key, ...) for weak, placeholder, short and low-entropy values. "
            + "Keys appear only as key ids.",
        "Checks the workloads (Deployments, StatefulSets, DaemonSets, CronJobs, Jobs, bare Pods) too: a JWT key set "
            + "as a literal value (LiteralSecretInPodSpec, its value judged but never printed), a JWT key read from a "
            + "Secret no JwtSecret manages (UnmanagedKeySource), and in a production namespace debug mode on "
            + "(DebugInProduction) or a token lifetime over 60 minutes (TokenLifetimeTooLong); a kind that cannot be "
            + "listed is skipped with a warning.",
        "%n  audit [-n NS | -A] [-o table|json|markdown]%n"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:no violation found (warnings alone do not fail)",
        "1:at least one violation found",
        "2:bad arguments or an error (API server unreachable, Secrets not readable)"})
final class AuditCommand extends OnCallCommand {
  @Option(names = {"-A", "--all-namespaces"}, description = "Audit every namespace.")
  boolean allNamespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = "table, json or markdown (default: table).")
  String output;

  private final Clock clock;
  private OutputFormat format;

  AuditCommand(OnCallEnvironment environment) {
    this.clock = environment.clock();
  }

  @Override
  void checkArguments() {
    format = OutputFormat.parse(output, OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.MARKDOWN);
    if (allNamespaces && kube.namespaceGiven()) {
      throw new CliError("-n and -A cannot be used together");
    }
  }

  @Override
  int run(KubernetesClient client) {
    AuditReport report = new Auditor(client, clock.instant()).audit(allNamespaces ? null : kube.namespace(client));
    report.notes().forEach(note -> err().println("warning: " + note));
    if (format == OutputFormat.JSON) {
      out().println(format.render(report));
    } else if (format == OutputFormat.MARKDOWN) {
      out().print(MarkdownReport.render(report));
    } else {
      if (!report.findings().isEmpty()) {
        Table table = new Table("NAMESPACE", "KIND", "NAME", "WHERE", "KEY ID", "SEVERITY", "RULE", "MESSAGE");
        report.findings().forEach(f -> table.row(f.namespace(), f.kind(), f.name(), orDash(f.where()), orDash(f.keyId()),
            f.severity(), f.rule(), f.message()));
        table.print(out());
        out().println();
      }
      out().println(summary(report));
    }
    out().flush();
    return report.violations() > 0 ? PROBLEMS : OK;
  }

  private static String summary(AuditReport r) {
    String found = r.findings().isEmpty() ? "no problems found"
        : count(r.violations(), "violation") + ", " + count(r.warnings(), "warning");
    return "audit of " + r.scope() + ": " + found + "; checked " + count(r.jwtSecrets(), "JwtSecret") + ", "
        + count(r.unmanagedSecretsWithJwtKeys(), "unmanaged Secret") + " with JWT keys ("
        + count(r.secretsScanned(), "Secret") + " scanned) and " + count(r.workloadsScanned(), "workload");
  }

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
