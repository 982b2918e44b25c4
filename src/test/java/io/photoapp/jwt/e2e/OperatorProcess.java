package io.photoapp.jwt.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/jwt-secret-operator.jar run ...} as a child process, with its output in a
 * log file and its pid in a file that e2e/run's trap reads (so that it is stopped even if this JVM
 * is killed).
 */
public final class OperatorProcess implements AutoCloseable {
  /**
   * What an RBAC refusal looks like in the operator's log: fabric8 reports a 403 as "... is
   * forbidden: User ... cannot ...", "Forbidden!" and "code=403". A bare "403" is not matched: it
   * may be part of a key id, a resourceVersion or a time.
   */
  static final Pattern FORBIDDEN = Pattern.compile("(?i)forbidden|code=403\\b|\\bHTTP\\S* 403\\b|\\b403 Forbidden");

  private final String name;
  private final Process process;
  private final Path log;
  private final Path pidFile;
  private final int port;

  private OperatorProcess(String name, Process process, Path log, Path pidFile, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.pidFile = pidFile;
    this.port = port;
  }

  /**
   * Starts the jar with KUBECONFIG pointing at {@code kubeconfig} and the given {@code run} flags.
   * {@code name} names its log and pid files and is its HOSTNAME, as a pod's name is (the SDK's
   * leader-election identity).
   */
  static OperatorProcess start(String name, Path jar, Path kubeconfig, Path workDir, List<String> runFlags) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it with mvn -B package -DskipTests (e2e/run does)");
    }
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toAbsolutePath().toString(), "run"));
    command.addAll(runFlags);
    command.addAll(List.of("--metrics-port", Integer.toString(port)));
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // Nothing from this environment may configure the operator but the flags and the kubeconfig.
    env.keySet().removeIf(k -> k.startsWith("JWT_OPERATOR_") || k.startsWith("KUBERNETES_") || k.equals("JAVA_TOOL_OPTIONS"));
    env.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    env.put("HOSTNAME", "e2e-" + name);
    Process process = pb.start();
    Path pidFile = workDir.resolve(name + ".pid");
    Files.writeString(pidFile, process.pid() + "\n");
    System.out.println("[e2e] " + name + " pid " + process.pid() + ": " + String.join(" ", command) + " (log " + log + ")");
    return new OperatorProcess(name, process, log, pidFile, port);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** Waits until /readyz answers 200 with a body containing {@code expected} (e.g. "leader"). */
  void awaitReady(String expected, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; its log:\n" + logText());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/readyz").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        int code = c.getResponseCode();
        String body = new String((code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
        last = code + " " + body.trim();
        if (code == 200 && body.trim().startsWith(expected)) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      sleep(500);
    }
    throw new AssertionError(name + "'s /readyz did not say '" + expected + "' within " + timeout + " (last: " + last
        + "); its log:\n" + logText());
  }

  /** The HOSTNAME it was given: its leader-election identity is this, "_" and a random suffix. */
  public String identity() {
    return "e2e-" + name;
  }

  public Process process() {
    return process;
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines of the operator's log that report a refused (forbidden, 403) API call. */
  public List<String> forbiddenLines() {
    return logText().lines().filter(l -> FORBIDDEN.matcher(l).find()).toList();
  }

  /** The operator must still run, and nothing it did may have been forbidden. */
  public void assertHealthy() {
    List<String> forbidden = forbiddenLines();
    if (!forbidden.isEmpty()) {
      throw new AssertionError("the operator, running as the chart's ServiceAccount, was refused API calls: a rule is "
          + "missing from the chart's RBAC (templates/_helpers.tpl and ApiPermissions):\n" + String.join("\n", forbidden));
    }
    if (!process.isAlive()) {
      throw new AssertionError(name + " exited with " + process.exitValue() + "; its log:\n" + logText());
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // e2e/run's trap checks the command line before it signals anything
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
