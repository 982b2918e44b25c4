package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.photoapp.jwt.api.JwtSecret;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows JwtSecrets as on-call people need them: key id, stage, rotations and rollout per target. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Show JwtSecrets: key id, phase, rotations, rollout.",
        "For each JwtSecret: environment, Ready, key id, phase, last and next rotation, and the rollout of each "
            + "restart target. Keys appear only as key ids.",
        "%n  status [NAME] [-n NS | -A] [-o table|json|yaml]%n"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success (also when no JwtSecret exists)",
        "2:bad arguments or an error (JwtSecret not found, API server unreachable)"})
final class StatusCommand extends OnCallCommand {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "One JwtSecret (default: every JwtSecret in the namespace).")
  String name;

  @Option(names = {"-A", "--all-namespaces"}, description = "JwtSecrets in every namespace.")
  boolean allNamespaces;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = "table, json or yaml (default: table).")
  String output;

  private OutputFormat format;

  @Override
  void checkArguments() {
    format = OutputFormat.parse(output, OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.YAML);
    if (allNamespaces && kube.namespaceGiven()) {
      throw new CliError("-n and -A cannot be used together");
    }
    if (allNamespaces && name != null) {
      throw new CliError("a NAME is looked up in one namespace: use -n, not -A");
    }
  }

  @Override
  int run(KubernetesClient client) {
    String namespace = kube.namespace(client);
    var resources = client.resources(JwtSecret.class);
    if (name != null) {
      JwtSecret js = resources.inNamespace(namespace).withName(name).get();
      if (js == null) {
        throw new CliError("JwtSecret " + name + " not found in namespace " + namespace);
      }
      StatusRow row = StatusRow.of(js);
      if (format == OutputFormat.TABLE) {
        table(List.of(row));
      } else {
        out().println(format.render(row));
      }
      return OK;
    }
    List<StatusRow> rows = (allNamespaces ? resources.inAnyNamespace() : resources.inNamespace(namespace)).list().getItems()
        .stream().map(StatusRow::of)
        .sorted(Comparator.comparing(StatusRow::namespace).thenComparing(StatusRow::name)).toList();
    if (format != OutputFormat.TABLE) {
      out().println(format.render(Map.of("items", rows)));
    } else if (rows.isEmpty()) {
      err().println("no JwtSecrets found " + (allNamespaces ? "in any namespace" : "in namespace " + namespace));
    } else {
      table(rows);
    }
    out().flush();
    return OK;
  }

  private void table(List<StatusRow> rows) {
    Table table = new Table("NAMESPACE", "NAME", "ENVIRONMENT", "READY", "KEY ID", "PHASE", "LAST ROTATION",
        "NEXT ROTATION", "ROLLOUT");
    for (StatusRow r : rows) {
      table.row(r.namespace(), r.name(), orDash(r.environment()), r.ready(), orDash(r.keyId()), orDash(r.phase()),
          orDash(r.lastRotationTime()), orDash(r.nextRotationTime()), r.rolloutSummary());
    }
    table.print(out());
  }
}
