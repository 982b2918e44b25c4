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
        "%n  status [NAME] [-n NS | -A] [-l SELECTOR] [-o table|json|yaml]%n"
            + "  status --plan [NAME] [-n NS | -A] [-l SELECTOR] [-o table|json|yaml]%n",
        "With --plan: what the next rotation would do, stage by stage (earliest times, targets, store writes, "
            + "and what would hold it), from the operator's own planner."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success (also when no JwtSecret exists)",
        "2:bad arguments or an error (JwtSecret not found, API server unreachable)"})
final class StatusCommand extends OnCallCommand {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "One JwtSecret (default: every JwtSecret in the namespace).")
  String name;

  @Option(names = {"-A", "--all-namespaces"}, description = "JwtSecrets in every namespace.")
  boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "JwtSecrets with these labels, e.g. app=photoapp.")
  String selector;

  @Option(names = "--plan", description = "Show what the next rotation would do, stage by stage.")
  boolean plan;

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
    if (name != null && selector != null) {
      throw new CliError("give either a NAME or -l SELECTOR, not both");
    }
  }

  private java.time.Clock clock = java.time.Clock.systemUTC();

  StatusCommand() {}

  StatusCommand(OnCallEnvironment environment) {
    this.clock = environment.clock();
  }

  @Override
  int run(KubernetesClient client) {
    String namespace = kube.namespace(client);
    var resources = client.resources(JwtSecret.class);
    if (plan) {
      return plan(client, namespace);
    }
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
    List<StatusRow> rows = list(client, namespace).stream().map(StatusRow::of)
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

  private List<JwtSecret> list(KubernetesClient client, String namespace) {
    var resources = client.resources(JwtSecret.class);
    var scoped = allNamespaces ? resources.inAnyNamespace() : resources.inNamespace(namespace);
    return selector == null ? scoped.list().getItems() : scoped.withLabelSelector(selector).list().getItems();
  }

  /** status --plan: the operator's planner on each JwtSecret's spec and status. */
  private int plan(KubernetesClient client, String namespace) {
    List<JwtSecret> found;
    if (name != null) {
      JwtSecret js = client.resources(JwtSecret.class).inNamespace(namespace).withName(name).get();
      if (js == null) {
        throw new CliError("JwtSecret " + name + " not found in namespace " + namespace);
      }
      found = List.of(js);
    } else {
      found = list(client, namespace);
    }
    java.time.Instant now = clock.instant();
    Map<String, Boolean> requireApproval = new java.util.HashMap<>();
    List<PlanRow> rows = found.stream()
        .map(js -> PlanRow.of(js, requireApproval.computeIfAbsent(js.getMetadata().getNamespace(), ns -> requiresApproval(client, ns)), now))
        .sorted(Comparator.comparing(PlanRow::namespace).thenComparing(PlanRow::name)).toList();
    if (format != OutputFormat.TABLE) {
      out().println(format.render(name != null ? rows.get(0) : Map.of("items", rows)));
    } else if (rows.isEmpty()) {
      err().println("no JwtSecrets found " + (allNamespaces ? "in any namespace" : "in namespace " + namespace));
    } else {
      rows.forEach(this::planBlock);
    }
    out().flush();
    return OK;
  }

  /** The namespace label require-approval; false when it cannot be read (no right to get namespaces). */
  private static boolean requiresApproval(KubernetesClient client, String ns) {
    try {
      var n = client.namespaces().withName(ns).get();
      return n != null && n.getMetadata().getLabels() != null
          && io.photoapp.jwt.api.Labels.TRUE.equals(n.getMetadata().getLabels().get(io.photoapp.jwt.api.Labels.REQUIRE_APPROVAL));
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return false;
    }
  }

  private void planBlock(PlanRow r) {
    out().println(r.namespace() + "/" + r.name() + ": phase " + orDash(r.phase()) + ", key " + orDash(r.keyId())
        + (r.nextKeyId() == null ? "" : ", next key " + r.nextKeyId()) + (r.approval() == null ? "" : ", approval " + r.approval()));
    out().println("  now:           " + r.now());
    out().println("  next rotation: " + r.nextRotation());
    if (!r.stages().isEmpty()) {
      Table table = new Table("  STAGE", "EARLIEST", "WAITS FOR");
      r.stages().forEach(s -> table.row("  " + s.name(), s.earliest(), s.waitsFor()));
      table.print(out());
    }
    out().println("  targets:       " + (r.targets().isEmpty() ? "none" : String.join("; ", r.targets())));
    if (!r.storeWrites().isEmpty()) {
      out().println("  store writes:  " + String.join("; ", r.storeWrites()) + " (at every stage)");
    }
    r.holds().forEach(h -> out().println("  hold:          " + h));
    out().println();
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
