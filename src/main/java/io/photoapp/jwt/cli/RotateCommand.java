package io.photoapp.jwt.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.spec.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Requests a planned or emergency rotation by setting a request-time annotation, and can follow it. */
@Command(name = "rotate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Request a rotation now.",
        "Sets the JwtSecret's annotation jwt.photoapp.io/rotate-after (a planned, zero-downtime rotation) or, with "
            + "--emergency, jwt.photoapp.io/invalidate-before (every key created before now is dropped at once, so every "
            + "outstanding token stops verifying) to the current time.",
        "%n  rotate NAME... [-n NS] [--emergency] [--wait [--timeout 10m]]%n"
            + "  rotate (--all | -l SELECTOR) [-A] [--emergency] [--wait [--timeout 10m]]%n"
            + "  rotate --approve NAME... [-n NS]%n",
        "With --approve, sets jwt.photoapp.io/approve-switch to the next key id each JwtSecret has published "
            + "(approval: Manual): its switch then proceeds."},
    footerHeading = "%nWith --wait:%n",
    footer = "A planned rotation is complete once the new key is current and every target has rolled out to it "
        + "(phase Retiring, or Idle with RolloutComplete=True); the previous key's grace period that follows is not "
        + "waited for. An emergency rotation is complete once the new key is current and RolloutComplete=True.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:requested (with --wait: completed)",
        "1:with --wait: not complete before --timeout",
        "2:bad arguments, not confirmed, or an error (JwtSecret not found, API server unreachable)"})
final class RotateCommand extends OnCallCommand {
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "The JwtSecrets to rotate, in the namespace of -n.")
  List<String> names = new ArrayList<>();

  @Option(names = "--all", description = "Rotate every JwtSecret in the namespace (with -A: in every namespace).")
  boolean all;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
      description = "Rotate the JwtSecrets with these labels, e.g. app=photoapp (with -A: in every namespace).")
  String selector;

  @Option(names = {"-A", "--all-namespaces"}, description = "With --all or -l: in every namespace.")
  boolean allNamespaces;

  @Option(names = "--emergency", description = "Drop every key created before now: all outstanding tokens stop verifying.")
  boolean emergency;

  @Option(names = "--approve", description = "Approve the switch of a rotation waiting for approval (approval: Manual): "
      + "set jwt.photoapp.io/approve-switch to its next key id.")
  boolean approve;

  @Option(names = {"-y", "--yes"}, description = "Do not ask to confirm --emergency.")
  boolean yes;

  @Option(names = "--wait", description = "Follow the rotation stage by stage until it completes or --timeout passes.")
  boolean await;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "With --wait: how long to wait, e.g. 90s, 10m (default: 10m).")
  String timeout;

  private final Clock clock;
  private final InputStream stdin;
  private final Duration pollInterval;
  private Duration waitFor = DEFAULT_TIMEOUT;

  RotateCommand(OnCallEnvironment environment) {
    this.clock = environment.clock();
    this.stdin = environment.stdin();
    this.pollInterval = environment.pollInterval();
  }

  @Override
  void checkArguments() {
    if (names.isEmpty() && !all && selector == null) {
      throw new CliError("give the NAME of one or more JwtSecrets, --all, or -l SELECTOR");
    }
    if (!names.isEmpty() && (all || selector != null)) {
      throw new CliError("give either NAMEs or --all / -l SELECTOR, not both");
    }
    if (allNamespaces && !names.isEmpty()) {
      throw new CliError("-A/--all-namespaces needs --all or -l (names are looked up in one namespace, -n)");
    }
    if (allNamespaces && kube.namespaceGiven()) {
      throw new CliError("-n and -A cannot be used together");
    }
    if (approve && (names.isEmpty() || emergency || await)) {
      throw new CliError("--approve needs the NAME of one or more JwtSecrets, and takes neither --emergency nor --wait");
    }
    if (timeout != null && !await) {
      throw new CliError("--timeout needs --wait");
    }
    if (timeout != null) {
      try {
        waitFor = Durations.parse(timeout);
      } catch (IllegalArgumentException e) {
        throw new CliError("--timeout: " + e.getMessage());
      }
    }
  }

  @Override
  int run(KubernetesClient client) {
    String namespace = kube.namespace(client);
    List<JwtSecret> targets = targets(client, namespace);
    if (targets.isEmpty()) {
      err().println("no JwtSecrets found " + (allNamespaces ? "in any namespace" : "in namespace " + namespace)
          + (selector == null ? "" : " with labels " + selector) + "; nothing to rotate");
      return OK;
    }
    if (approve) {
      return approve(client, targets);
    }
    if (emergency && !yes && !confirmed(targets)) {
      err().println("error: emergency rotation not confirmed (type yes, or pass --yes); nothing was changed");
      return ERROR;
    }
    Instant now = clock.instant();
    List<RotationRequest> requests = new ArrayList<>();
    for (JwtSecret js : targets) {
      RotationRequest request = new RotationRequest(js.getMetadata().getNamespace(), js.getMetadata().getName(), emergency, now);
      request(client, js, request);
      requests.add(request);
    }
    out().flush();
    if (!await) {
      return OK;
    }
    return new RotationWatch(client, out(), pollInterval).follow(requests, waitFor) ? OK : PROBLEMS;
  }

  private List<JwtSecret> targets(KubernetesClient client, String namespace) {
    var resources = client.resources(JwtSecret.class);
    if (!names.isEmpty()) {
      // Every name is looked up before any is patched: a typo in one rotates none.
      List<JwtSecret> found = new ArrayList<>();
      for (String name : new java.util.LinkedHashSet<>(names)) {
        JwtSecret js = resources.inNamespace(namespace).withName(name).get();
        if (js == null) {
          throw new CliError("JwtSecret " + name + " not found in namespace " + namespace + "; nothing was changed");
        }
        found.add(js);
      }
      return found;
    }
    var scoped = allNamespaces ? resources.inAnyNamespace() : resources.inNamespace(namespace);
    List<JwtSecret> found = new ArrayList<>(selector == null ? scoped.list().getItems()
        : scoped.withLabelSelector(selector).list().getItems());
    found.sort(Comparator.comparing((JwtSecret js) -> js.getMetadata().getNamespace()).thenComparing(js -> js.getMetadata().getName()));
    return found;
  }

  private boolean confirmed(List<JwtSecret> targets) {
    err().println("Emergency rotation of " + targets.size() + " JwtSecret" + (targets.size() == 1 ? "" : "s") + ": "
        + String.join(", ", targets.stream().map(js -> js.getMetadata().getNamespace() + "/" + js.getMetadata().getName()).toList()));
    err().println("Every key created before now is dropped at once: every outstanding token stops verifying"
        + " and every user must log in again.");
    err().print("Type yes to continue: ");
    err().flush();
    try {
      String answer = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
      err().println();
      return answer != null && answer.trim().equals("yes");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Approves the switch of each JwtSecret: the next key id it published, from status (else from its
   * Secret's next-key-id annotation). A JwtSecret with no next key is an error and none is changed.
   */
  private int approve(KubernetesClient client, List<JwtSecret> targets) {
    List<String[]> approvals = new ArrayList<>();
    for (JwtSecret js : targets) {
      String nextKeyId = nextKeyId(client, js);
      String where = js.getMetadata().getNamespace() + "/" + js.getMetadata().getName();
      if (nextKeyId == null) {
        throw new CliError("JwtSecret " + where + " has no published next key (phase "
            + (js.getStatus() == null || js.getStatus().phase == null ? "unknown" : js.getStatus().phase)
            + "): nothing waits for approval; nothing was changed");
      }
      approvals.add(new String[] {js.getMetadata().getNamespace(), js.getMetadata().getName(), nextKeyId});
    }
    for (String[] a : approvals) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.putObject("metadata").putObject("annotations").put(io.photoapp.jwt.api.Labels.APPROVE_SWITCH, a[2]);
      client.resources(JwtSecret.class).inNamespace(a[0]).withName(a[1]).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
      out().println("switch approved: " + a[0] + "/" + a[1] + " " + io.photoapp.jwt.api.Labels.APPROVE_SWITCH + "=" + a[2]);
    }
    return OK;
  }

  /** The next key id a JwtSecret published: status first, else its Secret's annotation (a key id, never a key). */
  private static String nextKeyId(KubernetesClient client, JwtSecret js) {
    if (js.getStatus() != null && js.getStatus().nextKeyId != null && !js.getStatus().nextKeyId.isBlank()) {
      return js.getStatus().nextKeyId;
    }
    io.photoapp.jwt.spec.SpecResolver.Result resolved = io.photoapp.jwt.spec.SpecResolver.resolve(js);
    if (resolved.spec() == null) {
      return null;
    }
    try {
      var secret = client.secrets().inNamespace(js.getMetadata().getNamespace()).withName(resolved.spec().secretName()).get();
      var a = secret == null ? null : secret.getMetadata().getAnnotations();
      // Only a Secret this JwtSecret owns tells its state.
      if (a == null || !js.getMetadata().getUid().equals(a.get(io.photoapp.jwt.api.Labels.OWNER_UID))) {
        return null;
      }
      String id = a.get(io.photoapp.jwt.api.Labels.NEXT_KEY_ID);
      return id == null || id.isBlank() ? null : id;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      // No right to read Secrets: status is the only source.
      return null;
    }
  }

  private void request(KubernetesClient client, JwtSecret js, RotationRequest request) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").putObject("annotations").put(request.annotation(), request.requestedAt().toString());
    client.resources(JwtSecret.class).inNamespace(request.namespace()).withName(request.name())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    Map<String, String> before = js.getMetadata().getAnnotations() == null ? Map.of() : js.getMetadata().getAnnotations();
    var status = js.getStatus();
    StringBuilder line = new StringBuilder()
        .append(request.emergency() ? "emergency rotation requested: " : "rotation requested: ")
        .append(request.where()).append(' ').append(request.annotation()).append('=').append(request.requestedAt());
    if (before.containsKey(request.annotation())) {
      line.append(" (was ").append(before.get(request.annotation())).append(')');
    }
    line.append("; current key ").append(orDash(status == null ? null : status.keyId));
    if (!request.emergency() && status != null && status.phase != null && status.phase != Phase.Idle) {
      line.append("; a rotation is in progress (").append(status.phase).append("), this one starts once it is Idle");
    }
    out().println(line);
  }
}
