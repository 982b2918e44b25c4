package io.photoapp.jwt.bench;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.keys.KeyGenerator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time to make one asymmetric key, per algorithm and size (issue 15: a tenant asking for 8192-bit
 * RSA keys again and again could keep a core busy; the operator makes one at a time and throttles
 * each JwtSecret to 3 keys in 10 minutes). Each case is measured in this JVM, one key after the
 * other on one thread: wall time and the thread's CPU time per key.
 *
 * <p>Run alone: {@code mvn -o -q -Pbench verify -Dbench.only=keygen}, which measures in the bench's
 * JVM and in a child JVM with the chart's JIT flags and writes section 7 of bench/RESULTS.md; or
 * {@code java -cp <test classpath> io.photoapp.jwt.bench.AsymmetricKeygen}, which prints the rows.
 */
public final class AsymmetricKeygen {
  /** One algorithm and size, and how many keys to time. */
  record Case(Algorithm algorithm, int bits, int samples) {
    String label() {
      return switch (algorithm.family()) {
        case RSA -> "RSA " + bits + " (RS256)";
        case EC -> "EC " + algorithm.curve() + " (" + algorithm + ")";
        default -> "Ed25519 (EdDSA)";
      };
    }
  }

  /** Medians and the slowest of the samples, in milliseconds. */
  record Result(String label, int samples, double medianWallMs, double maxWallMs, double medianCpuMs) {
    String row() {
      return String.format(Locale.ROOT, "ROW %s|%d|%.1f|%.1f|%.1f", label, samples, medianWallMs, maxWallMs, medianCpuMs);
    }

    static Result parse(String line) {
      String[] f = line.substring(4).split("\\|");
      return new Result(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]));
    }
  }

  static final List<Case> CASES = List.of(
      new Case(Algorithm.RS256, 2048, 7),
      new Case(Algorithm.RS256, 3072, 5),
      new Case(Algorithm.RS256, 4096, 3),
      new Case(Algorithm.RS256, 8192, 1),
      new Case(Algorithm.ES256, 0, 51),
      new Case(Algorithm.ES384, 0, 51),
      new Case(Algorithm.ES512, 0, 51),
      new Case(Algorithm.EdDSA, 0, 51));

  private AsymmetricKeygen() {}

  public static void main(String[] args) {
    for (Result r : measure()) {
      System.out.println(r.row());
    }
    System.out.println("DONE");
  }

  static List<Result> measure() {
    KeyGenerator generator = new KeyGenerator();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    // Warm-up: the code paths of every family compiled before the first timed key.
    for (int i = 0; i < 3; i++) {
      sink += generator.generateKeyPair(Algorithm.RS256, 2048).reveal().length();
    }
    for (int i = 0; i < 30; i++) {
      sink += generator.generateKeyPair(Algorithm.ES256, 0).reveal().length();
      sink += generator.generateKeyPair(Algorithm.EdDSA, 0).reveal().length();
    }
    List<Result> results = new ArrayList<>();
    for (Case c : CASES) {
      double[] wall = new double[c.samples()];
      double[] cpu = new double[c.samples()];
      for (int i = 0; i < c.samples(); i++) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        sink += generator.generateKeyPair(c.algorithm(), c.bits()).reveal().length();
        wall[i] = (System.nanoTime() - t0) / 1e6;
        cpu[i] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
      }
      java.util.Arrays.sort(wall);
      java.util.Arrays.sort(cpu);
      results.add(new Result(c.label(), c.samples(), wall[wall.length / 2], wall[wall.length - 1], cpu[cpu.length / 2]));
    }
    if (sink == 42) {
      System.out.println();
    }
    return results;
  }

  /** The same measure in a child JVM started with {@code jvmOptions}. */
  static List<Result> measureIn(List<String> jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ChildJvm.operatorJavaBin()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), AsymmetricKeygen.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || !out.contains("DONE")) {
      throw new IllegalStateException("the key generation child failed:\n" + out);
    }
    return out.lines().filter(l -> l.startsWith("ROW ")).map(Result::parse).toList();
  }

  /** Section 7 of the results: both measures side by side. */
  static String markdown(List<Result> here, String hereFlags, List<Result> chart, String chartFlags) {
    StringBuilder md = new StringBuilder();
    md.append("One key after the other on one thread; milliseconds per key: median wall time (slowest), median CPU time. ")
        .append("The operator makes one asymmetric key at a time and at most 3 per JwtSecret in 10 minutes.\n\n")
        .append("| algorithm and size | keys timed | ").append(hereFlags).append(": wall (slowest) / CPU | ")
        .append(chartFlags).append(": wall (slowest) / CPU |\n|---|---|---|---|\n");
    for (int i = 0; i < here.size(); i++) {
      Result a = here.get(i);
      Result b = chart.get(i);
      md.append(String.format(Locale.ROOT, "| %s | %d | %s (%s) / %s | %s (%s) / %s |\n", a.label(), a.samples(),
          ms(a.medianWallMs()), ms(a.maxWallMs()), ms(a.medianCpuMs()), ms(b.medianWallMs()), ms(b.maxWallMs()),
          ms(b.medianCpuMs())));
    }
    return md.toString();
  }

  private static String ms(double ms) {
    return ms >= 1000 ? String.format(Locale.ROOT, "%,.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
  }
}
