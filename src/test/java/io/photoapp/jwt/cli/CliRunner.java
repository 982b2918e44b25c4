package io.photoapp.jwt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.testing.OperatorHarness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the CLI against the harness's mock API server through a kubeconfig file (context {@code mock},
 * namespace photoapp; context {@code dead} points at a closed port), with the harness's clock. Every
 * run is checked: no value of any Secret's data appears in what it printed.
 */
final class CliRunner {
  static final String NAMESPACE = "photoapp";
  private final OperatorHarness h;
  final Path kubeconfig;

  /** What one run returned and printed. */
  record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  CliRunner(OperatorHarness h, Path dir) {
    this.h = h;
    this.kubeconfig = dir.resolve("kubeconfig");
    String server = h.client.getMasterUrl().toString();
    String dead = "http://127.0.0.1:" + closedPort() + "/";
    try {
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          current-context: mock
          clusters:
          - name: mock
            cluster: {server: "%s"}
          - name: dead
            cluster: {server: "%s"}
          contexts:
          - name: mock
            context: {cluster: mock, user: tester, namespace: %s}
          - name: dead
            context: {cluster: dead, user: tester}
          users:
          - name: tester
            user: {token: not-a-real-token}
          """.formatted(server, dead, NAMESPACE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  /** A run in the background, whose output can be read while it runs. */
  record Running(StringWriter out, CompletableFuture<Result> result) {}

  Running start(String... args) {
    StringWriter out = new StringWriter();
    return new Running(out, CompletableFuture.supplyAsync(() -> runWithInput("", out, args)));
  }

  /** Runs {@code args} with {@code --kubeconfig} added after the command name, and {@code stdin} as input. */
  Result runWithInput(String stdin, String... args) {
    return runWithInput(stdin, new StringWriter(), args);
  }

  private Result runWithInput(String stdin, StringWriter out, String... args) {
    List<String> full = new ArrayList<>(List.of(args));
    if (!full.isEmpty()) {
      full.addAll(1, List.of("--kubeconfig", kubeconfig.toString()));
    }
    Set<String> before = keyValues();
    StringWriter err = new StringWriter();
    OnCallEnvironment env = new OnCallEnvironment(h.clock,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Duration.ofMillis(100));
    int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), full.toArray(String[]::new));
    Result result = new Result(code, out.toString(), err.toString());
    // Into the test's output file (surefire redirects it), to read when a test fails.
    System.out.println("$ " + String.join(" ", args) + "  -> exit " + code + "\n" + result.all());
    Set<String> values = new HashSet<>(before);
    values.addAll(keyValues());
    for (String value : values) {
      assertThat(result.all()).as("a Secret's value must never be printed").doesNotContain(value);
    }
    return result;
  }

  /** Every data value of every Secret in the cluster, decoded and as stored, but short metadata values. */
  private Set<String> keyValues() {
    Set<String> values = new HashSet<>();
    for (Secret s : h.client.secrets().inAnyNamespace().list().getItems()) {
      if (s.getData() == null) {
        continue;
      }
      for (String dataKey : s.getData().keySet()) {
        String value = OperatorHarness.data(s, dataKey);
        if (value != null && value.length() >= 8 && !dataKey.equals("jwt-algorithm")) {
          values.add(value);
          values.add(s.getData().get(dataKey));
        }
      }
    }
    return values;
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
