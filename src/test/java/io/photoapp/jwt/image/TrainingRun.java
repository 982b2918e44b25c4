package io.photoapp.jwt.image;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records the image's class-data sharing archive in two steps, both with the image's own Java and jar,
 * chrooted into the image's tree (same paths, same file times):
 * <ol>
 *   <li>a training run of {@code run} against an in-process API server holding the CRD and the examples,
 *       until it is ready, has keyed every example and served /metrics, then SIGTERM: the JVM writes the
 *       classes it loaded ({@code -XX:DumpLoadedClassList});</li>
 *   <li>that list, {@linkplain #normalize normalized} (its classes sorted, then its lambdas sorted, without the
 *       load order's ids and the constant-pool entries a run happened to resolve), is dumped as a static archive
 *       ({@code -Xshare:dump -XX:SharedClassListFile}) with the chart's JVM options.</li>
 * </ol>
 * From the same list, the same Java and the same jar, JDK 25's static dump is the same byte for byte
 * (JDK 17's was not, nor is an archive written at exit or an AOT cache), so the image's cds layer is
 * reproducible as far as the training loads the same classes.
 */
public final class TrainingRun {
  /**
   * The class list the archive is dumped from, in the repository: a training run's output varies by a class or
   * two with its timing (a lambda of a resync that had run, a class of the JDK's HTTP server), the list here does
   * not. {@code -Dimage.train=true} (or no list) trains and rewrites it.
   */
  static final String CLASS_LIST = "image/operator.classlist";
  /** How a class-list line names picocli's classes (see {@link #normalize}). */
  private static final String OLD_BYTECODE = "picocli/";
  private final Path rootfs;
  private final Path project;
  private final String javaToolOptions;
  private final Path work;

  TrainingRun(Path rootfs, Path project, String javaToolOptions, Path work) {
    this.rootfs = rootfs;
    this.project = project;
    this.javaToolOptions = javaToolOptions;
    this.work = work;
  }

  void record(String archiveInImage) throws Exception {
    String flag = "-XX:SharedArchiveFile=" + archiveInImage;
    if (!javaToolOptions.contains(flag)) {
      throw new IllegalStateException("the chart's javaToolOptions do not name the archive the image holds (" + archiveInImage
          + "): " + javaToolOptions);
    }
    String classList = archiveInImage.replaceAll("\\.jsa$", "") + ".classlist";
    // The chart's options, without the archive it is about to write.
    String chart = javaToolOptions.replace(flag, "").trim().replaceAll("\\s+", " ");
    long t0 = System.nanoTime();
    Path committed = project.resolve(CLASS_LIST);
    Path list = rootfs.resolve(classList.substring(1));
    List<String> normalized;
    if (Files.isRegularFile(committed) && !Boolean.getBoolean("image.train")) {
      // The list in the repository: the same inputs give the same archive, whatever a training run's timing.
      normalized = Files.readAllLines(committed);
      Files.write(list, normalized);
    } else {
      normalized = train(classList, chart);
      Files.write(list, normalized);
      Files.write(committed, normalized);
      System.out.println("class list written to " + committed + ": commit it");
    }
    Files.write(work.resolve("classlist"), normalized);
    Path dumpLog = work.resolve("dump.log");
    if (!Files.exists(work.resolve("kubeconfig"))) {
      Files.writeString(work.resolve("kubeconfig"), ""); // the dump talks to no API server; the chroot's setup copies a file
    }
    Process dump = Rootfs.start(rootfs, false, "root", work.resolve("kubeconfig"),
        Map.of("JAVA_TOOL_OPTIONS", chart, "PATH", ImageBuilder.JAVA_HOME + "/bin"),
        List.of(ImageBuilder.JAVA, "-Xshare:dump", "-XX:SharedClassListFile=" + classList, flag, "-cp", ImageBuilder.JAR), dumpLog);
    if (!dump.waitFor(5, TimeUnit.MINUTES) || dump.exitValue() != 0) {
      dump.destroyForcibly();
      throw new IllegalStateException("the static CDS dump failed; see " + dumpLog);
    }
    Files.delete(list);
    Path archive = rootfs.resolve(archiveInImage.substring(1));
    if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
      throw new IllegalStateException("the dump wrote no CDS archive at " + archiveInImage + "; see " + dumpLog);
    }
    System.out.printf(java.util.Locale.ROOT, "CDS archive %s of %d classes recorded in %.1f s: %d MiB%n", archiveInImage,
        normalized.size(), (System.nanoTime() - t0) / 1e9, Files.size(archive) >> 20);
  }

  /** The training run: the classes {@code run} loads, normalized. */
  private List<String> train(String classList, String chart) throws Exception {
    Path log = work.resolve("training.log");
    try (ImageApiServer api = new ImageApiServer(project)) {
      List<String> names = api.applyExamples(project);
      int port = freePort();
      Process operator = Rootfs.start(rootfs, false, "root", api.writeKubeconfig(work.resolve("kubeconfig")),
          Map.of("JAVA_TOOL_OPTIONS", chart + " -XX:DumpLoadedClassList=" + classList, "PATH", ImageBuilder.JAVA_HOME + "/bin",
              "KUBECONFIG", "/tmp/kubeconfig", "JWT_OPERATOR_METRICS_PORT", Integer.toString(port),
              "JWT_OPERATOR_LEASE_NAMESPACE", ImageApiServer.OPERATOR_NAMESPACE),
          List.of(ImageBuilder.JAVA, "-jar", ImageBuilder.JAR, "run", "--leader-election"), log);
      try {
        Probes.awaitReady(operator, port, Duration.ofMinutes(2), log);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!api.allKeyed(names)) {
          if (System.nanoTime() > deadline || !operator.isAlive()) {
            throw new IllegalStateException("the training run did not key the examples " + names + "; see " + log);
          }
          Thread.sleep(200);
        }
        Probes.get(port, "/metrics");
        Probes.get(port, "/healthz");
      } finally {
        operator.destroy();
        if (!operator.waitFor(2, TimeUnit.MINUTES)) {
          operator.destroyForcibly();
        }
      }
    }
    Path list = rootfs.resolve(classList.substring(1));
    if (!Files.isRegularFile(list)) {
      throw new IllegalStateException("the training run wrote no class list at " + classList + "; see " + log);
    }
    return normalize(Files.readAllLines(list));
  }

  /**
   * The class list without what depends on the run's order: comments, the load order's ids and the constant-pool
   * entries ({@code @cp}) a run happened to resolve; the classes sorted, then the lambda lines
   * ({@code @lambda-proxy}, {@code @lambda-form-invoker}) sorted, but for those naming picocli's types. Classes of
   * other loaders than the JDK's ({@code source:}) cannot be archived statically and go. The lambdas are kept:
   * without them the operator spun its ~1,000 lambdas at every start (a training run lists 1,000
   * {@code @lambda-proxy} lines), 0.2 CPU seconds of a 1.5-second start. Two training runs can differ in them (a
   * resync's lambdas that ran in one and not yet in the other), which is why the image dumps the list in the
   * repository, not a new run's: from the same list JDK 25 dumps the same archive byte for byte, lambdas included.
   */
  public static List<String> normalize(List<String> lines) {
    // A lambda proxy naming one of picocli's types goes too: picocli is Java 5 bytecode, which a static archive
    // holds only if the dump does not link it, and resolving the lambda links its interface, which excluded that
    // interface and the ~140 picocli classes depending on it (loaded from the jar at every start, with the old
    // verifier, and kept in metaspace). Main's three such lambdas are spun at start instead.
    java.util.TreeSet<String> classes = new java.util.TreeSet<>();
    java.util.TreeSet<String> lambdas = new java.util.TreeSet<>();
    for (String line : lines) {
      String l = line.strip();
      if (l.startsWith("@lambda-proxy ") || l.startsWith("@lambda-form-invoker ")) {
        if (!l.contains(OLD_BYTECODE)) {
          lambdas.add(l);
        }
        continue;
      }
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("@") || l.contains(" source: ")) {
        continue;
      }
      classes.add(l.replaceAll(" id: \\d+$", ""));
    }
    List<String> list = new java.util.ArrayList<>(classes);
    list.addAll(lambdas);
    return List.copyOf(list);
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
