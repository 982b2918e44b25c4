package io.photoapp.jwt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child {@code java} process whose output goes to a log file, with the measurements taken from
 * outside: CPU time and resident size from /proc, heap after full GCs through jcmd.
 */
final class ChildJvm implements AutoCloseable {
  /** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on Linux for x86 and arm). */
  private static final double TICKS = 100.0;

  final String name;
  final Process process;
  final long startNanos;
  /** The operator's /metrics and /readyz port, where it has one. */
  int metricsPort = -1;
  /** Start-up figures of an operator process: seconds to /readyz 200, to its 'running' line, CPU seconds then. */
  double readySeconds;
  double runningSeconds;
  int notReadyAnswers;
  double cpuAtReady;
  private final BlockingQueue<TimedLine> lines = new LinkedBlockingQueue<>();
  private final List<TimedLine> kept = java.util.Collections.synchronizedList(new ArrayList<>());

  /** A line of output and when it arrived (System.nanoTime). */
  record TimedLine(long nanos, String text) {}

  private ChildJvm(String name, Process process, long startNanos, Path log) throws IOException {
    this.name = name;
    this.process = process;
    this.startNanos = startNanos;
    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          TimedLine t = new TimedLine(System.nanoTime(), line);
          lines.add(t);
          kept.add(t);
          out.println(line);
        }
      } catch (IOException e) {
        // the child ended
      } finally {
        out.close();
      }
    }, name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  static ChildJvm start(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    return new ChildJvm(name, p, t0, log);
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The JDK the operator runs on, as in the image: Temurin 25 (-Dbench.operatorJdk=... for another; the bench's own JDK
   * where that path is missing). The chart's JVM options name flags that Java 17 does not know.
   */
  static Path operatorJdk() {
    Path jdk = Path.of(System.getProperty("bench.operatorJdk", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    return Files.isExecutable(jdk.resolve("bin/java")) ? jdk : Path.of(System.getProperty("java.home"));
  }

  static String operatorJavaBin() {
    return operatorJdk().resolve("bin/java").toString();
  }

  /** Waits for a line of output that matches; returns it with its arrival time. */
  TimedLine await(Predicate<String> match, long timeoutMillis) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < end) {
      TimedLine t = lines.poll(100, TimeUnit.MILLISECONDS);
      if (t != null && match.test(t.text())) {
        return t;
      }
      if (t == null && !process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see its log");
      }
    }
    throw new IllegalStateException(name + ": no line matching after " + timeoutMillis + " ms");
  }

  /** The first line seen so far that matches, or null. */
  TimedLine seen(Predicate<String> match) {
    synchronized (kept) {
      return kept.stream().filter(t -> match.test(t.text())).findFirst().orElse(null);
    }
  }

  long pid() {
    return process.pid();
  }

  /** User plus system CPU seconds the process has used so far. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** VmRSS in KiB. */
  long rssKiB() {
    return Bench.procStatusKiB(Path.of("/proc/" + pid() + "/status"), "VmRSS");
  }

  /** Heap in use after {@code rounds} full collections (jcmd GC.run), in KiB. */
  long heapAfterFullGcKiB(int rounds) throws IOException, InterruptedException {
    for (int i = 0; i < rounds; i++) {
      jcmd("GC.run");
    }
    // Serial prints one line per generation (young first: after a full GC it holds nothing), G1 one.
    long used = Footprint.heapUsed(jcmd("GC.heap_info"));
    if (used < 0) {
      throw new IllegalStateException("cannot read heap use of " + name);
    }
    return used;
  }

  String jcmd(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(operatorJdk().resolve("bin/jcmd").toString(),
        Long.toString(pid()), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  /** Asks the process to stop (SIGTERM, so shutdown hooks run) and waits. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
