package io.photoapp.jwt.bench;

import io.photoapp.jwt.api.Encoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Collects the figures of one run and renders them as Markdown. */
final class Report {
  private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");
  private final StringBuilder throughput = new StringBuilder();
  private final StringBuilder steady = new StringBuilder();
  private final StringBuilder rotation = new StringBuilder();
  private final StringBuilder memory = new StringBuilder();
  private final StringBuilder startup = new StringBuilder();
  private final StringBuilder keygen = new StringBuilder();
  static final String ASYMMETRIC_HEADING = "## 7. Asymmetric key generation";
  /** The headings' start of the footprint sections, one per N and API server ({@link Footprint}). */
  static final String FOOTPRINT_HEADING = "## 8. Footprint";
  private String asymmetric = "";
  private final StringBuilder startupVariants = new StringBuilder();
  private final List<String> summary = new ArrayList<>();
  private final String loadAtStart = loadAverage();
  private final Instant started = Instant.now();
  private long[] operatorSizes;
  private double unlimitedSeconds = Double.NaN;
  private long[] floorSizes;

  void throughput(int n, List<Double> floor, List<Double> floorServerCpu, double operator, double applies, double serverCpu, double operatorCpu,
      Map<String, Long> floorCounts, Map<String, Long> operatorCounts) {
    double best = floor.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double ratio = operator / best;
    throughput.append("| measure | value |\n|---|---|\n");
    row(throughput, "floor: apply N JwtSecrets, create each Secret, patch each status (2 rounds, after a warm-up round)",
        floor.stream().map(s -> f2(s) + " s").reduce((a, b) -> a + " / " + b).orElse(""));
    row(throughput, "operator: apply N JwtSecrets until all are Ready (after a warm-up round, as the floor)", f2(operator) + " s (the applies alone: " + f2(applies) + " s)");
    row(throughput, "ratio operator / best floor round (goal ≤ 1.5)", f2(ratio) + (ratio <= 1.5 ? " (met)" : " (missed)"));
    double unlimitedRatio = unlimitedSeconds / best;
    if (!Double.isNaN(unlimitedSeconds)) {
      row(throughput, "the same round by an operator run with --max-requests-per-second 100000 (its own speed, not its default limit)",
          f2(unlimitedSeconds) + " s: ratio " + f2(unlimitedRatio) + (unlimitedRatio <= 1.5 ? " (met)" : " (missed)"));
    }
    row(throughput, "JwtSecrets Ready per second: floor / operator", f0(n / best) + " / " + f0(n / operator));
    row(throughput, "API server CPU seconds: floor rounds / operator run",
        floorServerCpu.stream().map(Report::f2).reduce((a, b) -> a + " / " + b).orElse("") + " / " + f2(serverCpu));
    row(throughput, "operator CPU seconds in its run (per JwtSecret)", f2(operatorCpu) + " (" + f2(1000 * operatorCpu / n) + " ms)");
    throughput.append("\nRequests per JwtSecret (operator counted at the server by client; the applies are the bench's):\n\n");
    throughput.append("| client | verb resource | per JwtSecret |\n|---|---|---|\n");
    Map<String, Long> floorByKey = new TreeMap<>();
    floorCounts.forEach((k, v) -> {
      String[] f = k.split("\t");
      if (!f[0].equals("bench-watch")) {
        floorByKey.put(f[0].replace("bench-", "floor round: ") + "\t" + f[1] + " " + f[2], v);
      }
    });
    floorByKey.forEach((k, v) -> row(throughput, k.split("\t")[0], k.split("\t")[1], f2(v / (double) n)));
    operatorCounts.forEach((k, v) -> row(throughput, "operator", k, f2(v / (double) n)));
    summary.add(String.format(Locale.ROOT, "| 1 | time to Ready, N=%d: operator / floor | %s s / %s s = **%s** | ≤ 1.5 | %s |",
        n, f2(operator), f2(best), f2(ratio), ratio <= 1.5 ? "met" : "missed"));
    if (!Double.isNaN(unlimitedSeconds)) {
      summary.add(String.format(Locale.ROOT, "| 1 | the same, the request rate limit raised to 100000/s | %s s / %s s = **%s** | ≤ 1.5 | %s |",
          f2(unlimitedSeconds), f2(best), f2(unlimitedRatio), unlimitedRatio <= 1.5 ? "met" : "missed"));
    }
  }

  /** The same round by an operator started with its request rate limit out of the way; before {@link #throughput}. */
  void unlimited(double seconds) {
    this.unlimitedSeconds = seconds;
  }

  void sizes(long[] operator, long[] floor) {
    this.operatorSizes = operator;
    this.floorSizes = floor;
    throughput.append(String.format(Locale.ROOT, "%nJSON size of one status / one Secret: operator %d / %d bytes, floor %d / %d bytes.%n",
        operator[0], operator[1], floor[0], floor[1]));
  }

  void steady(String what, int n, double seconds, Map<String, Long> counts) {
    long writes = writes(counts);
    if (steady.isEmpty()) {
      steady.append("| trigger | reconciles | time | operator requests (verb resource: count) | writes (goal 0) |\n|---|---|---|---|---|\n");
    }
    row(steady, what, Integer.toString(n), f2(seconds) + " s", render(counts), writes + (writes == 0 ? " (met)" : " (missed)"));
    summary.add(String.format(Locale.ROOT, "| 2 | writes in a steady-state resync (%s) | **%d** | 0 | %s |", what, writes,
        writes == 0 ? "met" : "missed"));
  }

  void rotation(int n, double switched, Double retired, Map<String, Long> operatorCounts, Map<String, Long> all) {
    rotation.append("| measure | value |\n|---|---|\n");
    row(rotation, "all N switched to the new key (publish, roll, switch, roll)", f2(switched) + " s after the request");
    if (retired != null) {
      row(rotation, "all N retired the previous key (grace: 1 min after the switch rollout)", f2(retired) + " s after the request");
    }
    rotation.append("\nOperator requests per rotation (Staged: publish, switch, retire):\n\n| verb resource | per rotation |\n|---|---|\n");
    operatorCounts.forEach((k, v) -> row(rotation, k, f2(v / (double) n)));
    Map<String, Long> others = new TreeMap<>();
    all.forEach((k, v) -> {
      if (!k.startsWith("operator\t")) {
        others.put(k.replace('\t', ' '), v);
      }
    });
    rotation.append("\nThe bench's own requests in the same window (the request annotation, the simulated Deployment controller, the watch): ")
        .append(render(others)).append(".\n");
    double secretWrites = per(operatorCounts, n, "secrets", true);
    double statusPatches = per(operatorCounts, n, "jwtsecrets/status", true);
    double targetPatches = per(operatorCounts, n, "deployments", true);
    double eventWrites = per(operatorCounts, n, "events", true);
    double other = writes(operatorCounts) / (double) n - secretWrites - statusPatches - targetPatches - eventWrites;
    summary.add(String.format(Locale.ROOT,
        "| 3 | writes per rotation (%d stages): Secret / status / target / event / other | %s / %s / %s / %s / %s | %d / %d / %d / – / 0 | see below |",
        retired != null ? 3 : 2, f2(secretWrites), f2(statusPatches), f2(targetPatches), f2(eventWrites), f2(other),
        retired != null ? 3 : 2, retired != null ? 3 : 2, retired != null ? 3 : 2));
  }

  void memory(int n, long heap1, long heap1b, long rss1) {
    memory.append("| operator process | heap after full GC | resident (VmRSS) |\n|---|---|---|\n");
    row(memory, "after applying " + n + " JwtSecrets (it caches them, their Secrets and target Deployments; two readings)",
        mib(heap1) + " / " + mib(heap1b), mib(rss1));
    summary.add(String.format(Locale.ROOT, "| 4 | operator heap after full GC, N=%d | **%s** | ≤ 64 MiB | %s |", n, mib(heap1),
        heap1 <= 64 * 1024 ? "met" : "missed"));
    summary.add(String.format(Locale.ROOT, "| 4 | operator resident size (VmRSS), N=%d | %s | – | – |", n, mib(rss1)));
  }

  void memoryRow(String what, long heap, long rss) {
    row(memory, what, mib(heap), mib(rss));
  }

  void unrelated(int unrelated, long heapBefore, long heapAfter, long rssBefore, long rssAfter) {
    row(memory, "the same process once " + unrelated + " unrelated 1 KiB Secrets are in its namespace", mib(heapAfter), mib(rssAfter));
    long delta = heapAfter - heapBefore;
    row(memory, "added by the unrelated Secrets (goal < 2 MiB)", mib(delta) + (delta < 2048 ? " (met)" : " (missed)"),
        mib(rssAfter - rssBefore));
    summary.add(String.format(Locale.ROOT, "| 4 | heap added by %d unrelated Secrets | **%s** | < 2 MiB | %s |", unrelated, mib(delta),
        delta < 2048 ? "met" : "missed"));
  }

  void labelled(int count, long heapBefore, long heapAfter, long heapFresh, long rssBefore, long rssAfter) {
    if (memory.isEmpty()) {
      memory.append("| operator process | heap after full GC | resident (VmRSS) |\n|---|---|---|\n");
    }
    long delta = heapAfter - heapBefore;
    row(memory, "an operator process before " + count + " labelled 1 MiB Secrets that no JwtSecret owns arrive", mib(heapBefore),
        mib(rssBefore));
    row(memory, "the same process once they are in its namespace", mib(heapAfter), mib(rssAfter));
    row(memory, "added by the labelled Secrets (goal < 8 MiB)", mib(delta) + (delta < 8192 ? " (met)" : " (missed)"),
        mib(rssAfter - rssBefore));
    row(memory, "a new process that lists them at start-up", mib(heapFresh), "–");
    summary.add(String.format(Locale.ROOT, "| 4 | heap added by %d labelled 1 MiB Secrets that no JwtSecret owns | **%s** | < 8 MiB | %s |",
        count, mib(delta), delta < 8192 ? "met" : "missed"));
  }

  void startup(String label, double ready, double logged, int notReady, double cpu) {
    if (startup.isEmpty()) {
      startup.append("| server holds | process start → /readyz 200 | → 'running' logged (informers synced) | 503 answers before | CPU s used |\n|---|---|---|---|---|\n");
    }
    row(startup, label, f2(ready) + " s", f2(logged) + " s", Integer.toString(notReady), f2(cpu));
    summary.add(String.format(Locale.ROOT, "| 5 | start-up to /readyz (%s) | **%s s** | ≤ 2 s | %s |", label, f2(ready),
        ready <= 2 ? "met" : "missed"));
  }

  void startupVariant(String jvm, double[] readySeconds, double medianCpu) {
    if (startupVariants.isEmpty()) {
      startupVariants.append("\nThe same start (server holding everything) by JVM options, three starts each:\n\n")
          .append("| JVM options | /readyz 200, median (all three) | CPU s used by then (median start) |\n|---|---|---|\n");
    }
    String all = java.util.Arrays.stream(readySeconds).mapToObj(Report::f2).collect(java.util.stream.Collectors.joining(" / "));
    row(startupVariants, jvm, "**" + f2(readySeconds[1]) + " s** (" + all + ")", f2(medianCpu));
  }

  void keygen(Map<Encoding, double[]> rates) {
    keygen.append("| encoding (64 characters) | keys/s, median of 5 (min–max) | keys/s with the key id (RFC 7638 thumbprint) |\n|---|---|---|\n");
    rates.forEach((e, r) -> row(keygen, e.value(), f0(r[0]) + " (" + f0(r[1]) + "–" + f0(r[2]) + ")", f0(r[3])));
    StringBuilder s = new StringBuilder();
    rates.forEach((e, r) -> s.append(s.isEmpty() ? "" : ", ").append(e.value()).append(' ').append(f0(r[0])));
    summary.add("| 6 | keys per second, 64 characters | " + s + " | – | – |");
  }

  void asymmetric(String markdown) {
    asymmetric = markdown;
  }

  /** Replaces (or appends) one section of a results file, leaving the others as they were. */
  static void replaceSection(java.nio.file.Path file, String heading, String body) throws java.io.IOException {
    String text = java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "# Benchmark results\n";
    int at = text.indexOf("\n" + heading);
    String before = at < 0 ? text.stripTrailing() + "\n" : text.substring(0, at + 1);
    String after = "";
    if (at >= 0) {
      int next = text.indexOf("\n## ", at + 1 + heading.length());
      after = next < 0 ? "" : text.substring(next);
    }
    java.nio.file.Files.writeString(file, before + "\n" + heading + "\n\n" + body + after);
  }

  String render() {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Run ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" by `mvn -o -q -Pbench verify` on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ").append(System.getProperty("java.version"))
        .append("; load average at start ").append(loadAtStart).append(", at end ").append(loadAverage())
        .append(". The fabric8 mock API server (CRUD mode) runs in one child JVM, the operator jar in another, the bench in a third, ")
        .append("all on the same cores: other builds on the machine make every figure noisy (±20 % between runs is usual).\n\n");
    md.append("## Summary\n\n| # | measure | value | goal | |\n|---|---|---|---|---|\n");
    summary.stream().sorted(java.util.Comparator.comparing(l -> l.substring(0, 5))).forEach(line -> md.append(line).append('\n'));
    md.append("\n## 1. Throughput beside the floor\n\n").append(throughput);
    md.append("\n## 2. Steady state\n\n").append(steady);
    md.append("\n## 3. Rotation\n\n").append(rotation);
    md.append("\n## 4. Memory\n\n").append(memory);
    md.append("\n## 5. Start-up\n\n").append(startup).append(startupVariants);
    md.append("\n## 6. Key generation\n\n").append(keygen);
    if (!asymmetric.isEmpty()) {
      md.append("\n").append(ASYMMETRIC_HEADING).append("\n\n").append(asymmetric);
    }
    return md.toString();
  }

  void write(Path file) throws IOException {
    String md = render();
    // The footprint sections (8 on: -Dbench.only=footprint, one per N and server) stay as the last such run left them.
    if (Files.exists(file)) {
      String old = Files.readString(file);
      int at = old.indexOf("\n" + FOOTPRINT_HEADING);
      if (at >= 0) {
        md = md.stripTrailing() + "\n" + old.substring(at);
      }
    }
    System.out.println();
    System.out.println(md);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, md);
    Bench.say("wrote " + file);
  }

  private static double per(Map<String, Long> counts, int n, String resource, boolean writesOnly) {
    long sum = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      String[] f = e.getKey().split(" ");
      if (f[1].equals(resource) && (!writesOnly || WRITES.contains(f[0]))) {
        sum += e.getValue();
      }
    }
    return sum / (double) n;
  }

  static long writes(Map<String, Long> counts) {
    long sum = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      String verb = e.getKey().split(" ")[0];
      if (WRITES.contains(verb)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  private static String render(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(": ").append(v));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String... cells) {
    sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String f0(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String mib(long kib) {
    return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
  }
}
