package io.photoapp.jwt.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.status.Conditions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Footprint of the operator process by JVM and options (issue #19), one N per run:
 * {@code mvn -o -q -Pbench verify -Dbench.only=footprint -Dbench.n=1000 [-Dbench.variants=a,b] [-Dbench.ready=name]}.
 *
 * <p>On one mock API server holding N JwtSecrets with their Secrets and target Deployments, each
 * variant (a Java runtime and its options, with the class archive it trains first where it names
 * one) is started twice: on an empty namespace (start-up to /readyz) and on the populated one
 * (start-up, full resync, then resident size split anonymous / file, the Native Memory Tracking
 * summary, threads, heap after full GC). With {@code -Dbench.ready=name} the floor and that
 * variant's time to Ready are measured side by side first. Writes target/bench/FOOTPRINT-N.md.
 */
final class Footprint {
  static final String EMPTY_NS = "empty";
  private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB(?:, readonly=\\d+KB)?\\)");
  private static final Pattern NMT_TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final Pattern GENERATION_USED = Pattern.compile("(?:generation|DefNew|Tenured)\\s+total \\d+K, used (\\d+)K");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  /** A Java runtime and its options; {archive} stands for the trained archive's path. */
  record Variant(String name, String javaHome, String options, String archiveKind, Map<String, String> env) {
    String java() {
      return javaHome + "/bin/java";
    }
  }

  /** What one variant measured. */
  record Figures(Variant variant, double readyEmpty, double readyFull, double resync, double cpuAtReady, long rss, long rssAnon,
      long rssFile, long rssAtRest, long rssAnonAtRest, long rssAfterGc, long heapAfterGc, int threads, Map<String, Long> nmt,
      long nmtTotal, String load, Rest rest, List<Double> readyEmptyRuns, List<Double> cpuEmptyRuns, long rssPlain, long anonPlain) {}

  /** -Dbench.starts: how many starts on the empty namespace per variant (the table shows the median). */
  private final int starts = Integer.getInteger("bench.starts", 1);

  /** What the operator did in -Dbench.rest minutes with nothing changing: reconciles, CPU, requests, resident size. */
  record Rest(double minutes, double reconciles, double cpuSeconds, String requests, long rssMin, long rssMax) {}

  /** -Dbench.rest: minutes to keep the populated operator at rest (0: none); over 10 it holds one resync interval. */
  private final double restMinutes = Double.parseDouble(System.getProperty("bench.rest", "0"));
  /** -Dbench.restOnly=NAME: the one variant kept at rest (default: every variant). */
  private final String restOnly = System.getProperty("bench.restOnly", "").trim();

  /** Seconds after its start at which the operator's resident size is read again ("at rest": its heap check ran at 30 s). */
  static final int AT_REST = 45;

  private final int n = Integer.getInteger("bench.n", 1000);
  private final Path work = Path.of(System.getProperty("bench.work", "target/bench")).toAbsolutePath();
  private final Path jar = Path.of(System.getProperty("bench.runtimeJar", "target/jwt-secret-operator-runtime.jar")).toAbsolutePath();
  private final String jdk17 = System.getProperty("java.home");
  private final String jdk25 = System.getProperty("bench.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(Bench.THREADS);
  private final StringBuilder out = new StringBuilder();
  private String apiUrl;
  private ChildJvm server;
  private KubernetesClient driver;
  private KubernetesClient floorClient;
  private Path kubeconfig;
  private int runs;
  /** -Dbench.kubeconfig: a real API server's kubeconfig (admin), instead of the mock server. */
  private final Path realServer = System.getProperty("bench.kubeconfig", "").isBlank() ? null
      : Path.of(System.getProperty("bench.kubeconfig")).toAbsolutePath();

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void main(String memoryLimit, String chartOptions) throws Exception {
    Footprint f = new Footprint();
    try {
      f.run(memoryLimit, chartOptions);
    } finally {
      f.shutdown();
    }
  }

  /** The chart's JVM options and memory limit before issue #19 (the levers below start from them). */
  static final String BEFORE = "-XX:MaxRAM=384m -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError";

  /** The chart's JVM options after the first round of issue #19 (no env). */
  static final String ROUND1 = "-XX:SharedArchiveFile={archive} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -Xmn8m "
      + "-XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:TrimNativeHeapInterval=5000 -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError "
      + "-Djwt.operator.heapCompaction=false";

  /**
   * The levers, each measured: the chart's options before issue #19, one change at a time on top of the previous one
   * on Java 17 and on Java 25, and last the chart's options as they are now (on the image's Java 25, with the image's
   * kind of archive: a static dump of a training run's classes).
   */
  List<Variant> variants(String memoryLimit, String chartOptions) {
    String chart = BEFORE;
    String cds = " -XX:SharedArchiveFile={archive}";
    String serial = " -XX:+UseSerialGC";
    String ratios = " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20";
    String young = " -Xmn16m";
    String lean = " -Xss256k -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=24m -Djwt.operator.reconcileThreads=4";
    Map<String, String> arena = Map.of("MALLOC_ARENA_MAX", "2");
    String aot = " -XX:AOTCache={archive}";
    String coh = " -XX:+UseCompactObjectHeaders";
    String trim = " -XX:TrimNativeHeapInterval=5000";
    List<Variant> all = new ArrayList<>();
    all.add(new Variant("17 before (G1, CDS)", jdk17, chart + cds, "cds", Map.of()));
    all.add(new Variant("17 +Serial", jdk17, chart + cds + serial, "cds", Map.of()));
    all.add(new Variant("17 +Serial +free ratios 10/20", jdk17, chart + cds + serial + ratios, "cds", Map.of()));
    all.add(new Variant("17 +… +young 16m", jdk17, chart + cds + serial + ratios + young, "cds", Map.of()));
    all.add(new Variant("17 +… +threads, stacks, code cache, arenas", jdk17, chart + cds + serial + ratios + young + lean, "cds", arena));
    all.add(new Variant("17 the same without CDS", jdk17, chart + serial + ratios + young + lean, "", arena));
    all.add(new Variant("25 before (G1, JDK's CDS)", jdk25, chart, "", Map.of()));
    all.add(new Variant("25 +AOT cache", jdk25, chart + aot, "aot", Map.of()));
    all.add(new Variant("25 +AOT +compact headers", jdk25, chart + aot + coh, "aot", Map.of()));
    all.add(new Variant("25 +AOT +COH +Serial +free ratios +young 16m", jdk25, chart + aot + coh + serial + ratios + young, "aot", Map.of()));
    all.add(new Variant("25 +… +threads, stacks, code cache, arenas, trim", jdk25, chart + aot + coh + serial + ratios + young + lean + trim,
        "aot", arena));
    all.add(new Variant("25 the same, static CDS archive (the image's)", jdk25,
        chart + cds + coh + serial + ratios + young + lean + trim, "static", arena));
    all.add(new Variant("25 the same without an archive of the operator's classes", jdk25,
        chart + coh + serial + ratios + young + lean + trim, "", arena));
    all.add(new Variant("25 static CDS, free ratios 5/10, young 8m", jdk25,
        chart + cds + coh + serial + " -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -Xmn8m" + lean + trim, "static", arena));
    // The chart's env sets MALLOC_ARENA_MAX=2 and glibc's thread stack cache off beside its javaToolOptions.
    Map<String, String> chartEnv = Map.of("MALLOC_ARENA_MAX", "2", "GLIBC_TUNABLES", "glibc.pthread.stack_cache_size=0");
    // The chart's options with the variant's own static archive, under the chart's memory limit.
    String chartArchive = chartOptions.replaceAll("-XX:SharedArchiveFile=\\S+", "-XX:SharedArchiveFile={archive}");
    String chartStatic = "-XX:MaxRAM=" + memoryLimit + " " + chartArchive;
    all.add(new Variant("chart now (25, static CDS)", jdk25, chartStatic, "static", chartEnv));
    // For N beyond what the chart's limit holds: the same options under a 1 GiB limit.
    all.add(new Variant("chart now, 1 GiB limit", jdk25, "-XX:MaxRAM=1024m " + chartArchive, "static", Map.of()));
    // 16: the chart as the first round of issue #19 shipped it (the second round's levers are measured against it).
    all.add(new Variant("chart of round 1 (25, static CDS)", jdk25, "-XX:MaxRAM=" + memoryLimit + " " + ROUND1, "static", Map.of()));
    // 17: the chart's options with Java 25's AOT cache (JEP 483/515: linked classes and method profiles) for the static archive.
    all.add(new Variant("chart now, AOT cache", jdk25, "-XX:MaxRAM=" + memoryLimit + " "
        + chartOptions.replaceAll("-XX:SharedArchiveFile=\\S+", "-XX:AOTCache={archive}"), "aot", chartEnv));
    // 18: the chart's options with round 3's young generation of 8 MiB (6 MiB since round 4).
    all.add(new Variant("chart now, young 8m", jdk25, chartStatic.replace("-Xmn6m", "-Xmn8m"), "static", chartEnv));
    // 19: the chart's options and env of round 4: glibc keeps the stacks of ended threads (up to 40 MiB) for new ones.
    all.add(new Variant("chart now, glibc stack cache", jdk25, chartStatic, "static", arena));
    // 20: the chart's options with a young generation of 4 MiB.
    all.add(new Variant("chart now, young 4m", jdk25, chartStatic.replace("-Xmn6m", "-Xmn4m"), "static", chartEnv));
    // 21: the chart's options with a young generation of 5 MiB.
    all.add(new Variant("chart now, young 5m", jdk25, chartStatic.replace("-Xmn6m", "-Xmn5m"), "static", chartEnv));
    // 22: the chart's options, the client offering ChaCha20-Poly1305 first (a real API server only: the mock speaks plain
    // HTTP). Under C1 alone the JDK decrypts AES-GCM without its intrinsics, about a third as fast as ChaCha20.
    all.add(new Variant("chart now, ChaCha20 first", jdk25, chartStatic + " -Djdk.tls.client.cipherSuites=" + CHACHA_FIRST,
        "static", chartEnv));
    String only = System.getProperty("bench.variants", "").trim();
    if (only.isEmpty()) {
      return all;
    }
    // One variant by its whole name first: some names hold a comma ("chart now, 1 GiB limit").
    List<String> picked = all.stream().anyMatch(v -> v.name().equals(only)) ? List.of(only)
        : List.of(only.split(only.contains(";") ? ";" : ","));
    return all.stream().filter(v -> picked.stream().anyMatch(p -> v.name().equals(p.trim()) || index(all, v).equals(p.trim()))).toList();
  }

  private static String index(List<Variant> all, Variant v) {
    return Integer.toString(all.indexOf(v));
  }

  void run(String memoryLimit, String chartOptions) throws Exception {
    Files.createDirectories(work);
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run through mvn -Pbench verify, which packages it first");
    }
    List<Variant> variants = variants(memoryLimit, chartOptions);
    String loadStart = Report.loadAverage();
    if (realServer != null) {
      // A real API server (the e2e tier's: e2e/start-cluster.sh): no request counts, so quiet is a fixed wait.
      kubeconfig = realServer;
    } else {
      server = ChildJvm.start("api-server", List.of(ChildJvm.javaBin(), "-cp", System.getProperty("java.class.path"),
          BenchApiServer.class.getName()), Map.of(), work.resolve("api-server.log"));
      String port = server.await(l -> l.startsWith("PORT "), 60_000).text().substring(5).trim();
      apiUrl = "http://127.0.0.1:" + port;
      kubeconfig = writeKubeconfig();
    }
    driver = client("bench-driver");
    floorClient = client("bench-floor");
    if (realServer == null) {
      driver.resource(Bench.crd()).create();
    } else {
      // Every CRD of the operator (it watches the stores too), then until each is established.
      try (java.util.stream.Stream<Path> files = Files.list(Path.of("crds"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
          io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition crd = io.fabric8.kubernetes.client.utils.Serialization
              .unmarshal(Files.readString(file), io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
          crd.getMetadata().setResourceVersion(null);
          driver.resource(crd).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
          driver.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
              .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                  1, java.util.concurrent.TimeUnit.MINUTES);
        }
      }
      Thread.sleep(2000);
    }
    for (String ns : List.of(Bench.NS, Bench.FLOOR_NS, EMPTY_NS)) {
      driver.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    Bench.say("footprint: N=" + n + "; creating " + n + " target Deployments");
    parallel(n, i -> driver.apps().deployments().inNamespace(Bench.NS).resource(Bench.deployment(i)).create());

    String readyVariant = System.getProperty("bench.ready", "").trim();
    Variant first = variants.get(0);
    Variant timed = variants.stream().filter(v -> v.name().equals(readyVariant)).findFirst().orElse(null);
    String readyLine = "";
    if (timed != null) {
      readyLine = timeToReady(timed);
    } else {
      // Populate with the first variant: apply N and wait until all are Ready.
      Tracker tracker = watch(Bench.NS);
      ChildJvm op = start(first, Bench.NS, null, "populate");
      try {
        tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
        long t0 = System.nanoTime();
        parallel(n, i -> driver.resource(Bench.manifest(Bench.NS, i)).create());
        double s = tracker.awaitAll(n, t0, Duration.ofMinutes(30));
        Bench.say(String.format(Locale.ROOT, "populated: %d JwtSecrets Ready in %.2f s", n, s));
        awaitQuiet();
      } finally {
        op.close();
      }
    }
    hold();
    Map<String, Path> archives = new TreeMap<>();
    List<Figures> figures = new ArrayList<>();
    for (Variant v : variants) {
      Path archive = null;
      if (!v.archiveKind().isEmpty()) {
        String key = v.archiveKind() + " " + v.javaHome() + " " + v.options() + v.env();
        archive = archives.get(key);
        if (archive == null) {
          archive = train(v, archives.size(), n);
          archives.put(key, archive);
        }
      }
      figures.add(measure(v, archive));
    }
    write(figures, loadStart, readyLine);
  }

  /**
   * With the environment variable BENCH_HOLD set, the populated server stays up (for operators started by hand with its
   * kubeconfig, target/bench/kubeconfig) until the file target/bench/HOLD is removed.
   */
  private void hold() throws InterruptedException {
    if (System.getenv("BENCH_HOLD") == null) {
      return;
    }
    Path flag = work.resolve("HOLD");
    try {
      Files.writeString(flag, kubeconfig + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Bench.say("holding the populated server: kubeconfig " + kubeconfig + "; remove " + flag + " to go on");
    while (Files.exists(flag)) {
      Thread.sleep(1000);
    }
  }

  /** The floor's and the variant's time to Ready for N, side by side, after a warm-up of each (as Bench section 1 does). */
  private String timeToReady(Variant v) throws Exception {
    int warmup = Math.min(200, n);
    Tracker floorTracker = watch(Bench.FLOOR_NS);
    floor(floorTracker, warmup);
    String load0 = Report.loadAverage();
    double floor = floor(floorTracker, n);
    Bench.say(String.format(Locale.ROOT, "floor: %d JwtSecrets to Ready in %.2f s", n, floor));
    Path archive = v.archiveKind().isEmpty() ? null : train(v, 99, 0);
    Tracker tracker = watch(Bench.NS);
    ChildJvm op = start(v, Bench.NS, archive, "time to Ready");
    double seconds;
    try {
      tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
      parallel(warmup, i -> driver.resource(Bench.manifest(Bench.NS, i)).create());
      tracker.awaitAll(warmup, System.nanoTime(), Duration.ofMinutes(5));
      parallel(warmup, i -> driver.resources(JwtSecret.class).inNamespace(Bench.NS).withName(Bench.name(i)).delete());
      tracker.awaitEmpty(Duration.ofMinutes(2));
      parallel(warmup, i -> driver.secrets().inNamespace(Bench.NS).withName(Bench.name(i)).delete());
      awaitQuiet();
      tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
      long t0 = System.nanoTime();
      parallel(n, i -> driver.resource(Bench.manifest(Bench.NS, i)).create());
      seconds = tracker.awaitAll(n, t0, Duration.ofMinutes(30));
      awaitQuiet();
    } finally {
      op.close();
    }
    double floor2 = floor(floorTracker, n);
    String load1 = Report.loadAverage();
    double best = Math.min(floor, floor2);
    Bench.say(String.format(Locale.ROOT, "time to Ready: operator %.2f s, floor %.2f / %.2f s: ratio %.2f", seconds, floor, floor2,
        seconds / best));
    return String.format(Locale.ROOT, "Time to Ready, N=%d (%s; floor rounds before and after the operator's): operator %.2f s, "
        + "floor %.2f s / %.2f s, ratio to the best floor round **%.2f**; load average %s before, %s after.%n", n, v.name(),
        seconds, floor, floor2, seconds / best, load0, load1);
  }

  /** The floor (a bare client: create the JwtSecret, its Secret, patch its status), then everything removed again. */
  private double floor(Tracker tracker, int count) throws Exception {
    tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
    KeyGenerator generator = new KeyGenerator();
    long t0 = System.nanoTime();
    parallel(count, i -> {
      JwtSecret js = driver.resource(Bench.manifest(Bench.FLOOR_NS, i)).create();
      KeyValue key = generator.generate(Encoding.URLSAFE, 64);
      String kid = KeyIds.of(key);
      floorClient.secrets().inNamespace(Bench.FLOOR_NS).resource(FloorObjects.secret(js, key, kid)).create();
      floorClient.resources(JwtSecret.class).inNamespace(Bench.FLOOR_NS).resource(js).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), FloorObjects.statusPatch(js, kid));
    });
    double seconds = tracker.awaitAll(count, t0, Duration.ofMinutes(30));
    parallel(count, i -> {
      driver.resources(JwtSecret.class).inNamespace(Bench.FLOOR_NS).withName(Bench.name(i)).delete();
      driver.secrets().inNamespace(Bench.FLOOR_NS).withName(Bench.name(i)).delete();
    });
    tracker.awaitEmpty(Duration.ofMinutes(5));
    return seconds;
  }

  /**
   * Trains the variant's archive on the populated server: a start, the full resync, then SIGTERM (the JVM writes
   * a CDS archive, -XX:ArchiveClassesAtExit, or an AOT cache, -XX:AOTCacheOutput, at exit).
   */
  /** {@code present}: the JwtSecrets on the server, whose resync the training run waits for. */
  private Path train(Variant v, int index, int present) throws Exception {
    boolean aot = "aot".equals(v.archiveKind());
    boolean fromList = "static".equals(v.archiveKind());
    Path classList = work.resolve("footprint-" + index + ".classlist");
    Path archive = work.resolve("footprint-" + index + (aot ? ".aot" : ".jsa"));
    Path config = work.resolve("footprint-" + index + ".aotconf");
    Files.deleteIfExists(archive);
    Files.deleteIfExists(config);
    // JDK 25: the two-step workflow (record, then create in a process of our own); the one-step -XX:AOTCacheOutput
    // assembles the cache in a child JVM that did not outlive the training process here.
    String record = aot ? "-XX:AOTMode=record -XX:AOTConfiguration=" + config
        : fromList ? "-XX:DumpLoadedClassList=" + classList : "-XX:ArchiveClassesAtExit=" + archive;
    String options = v.options().replaceAll("-XX:(SharedArchiveFile|AOTCache)=\\{archive}", record);
    Variant training = new Variant(v.name() + " (training)", v.javaHome(), options, "", v.env());
    long t0 = System.nanoTime();
    ChildJvm op = start(training, Bench.NS, null, "training");
    awaitReconciles(op, present);
    awaitQuiet();
    op.close();
    if (aot || fromList) {
      List<String> cmd = new ArrayList<>(List.of(v.java()));
      for (String arg : v.options().replaceAll("-XX:(AOTCache|SharedArchiveFile)=\\{archive}", "").trim().split("\\s+")) {
        if (!arg.isEmpty()) {
          cmd.add(arg);
        }
      }
      if (aot) {
        cmd.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + config, "-XX:AOTCache=" + archive, "-jar", jar.toString()));
      } else {
        // As the image does (TrainingRun): the normalized list, dumped statically.
        Files.write(classList, io.photoapp.jwt.image.TrainingRun.normalize(Files.readAllLines(classList)));
        cmd.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive, "-cp",
            jar.toString()));
      }
      Process create = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("aot-create-" + index + ".log").toFile())
          .start();
      if (!create.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
        create.destroyForcibly();
      }
    }
    if (!Files.exists(archive)) {
      throw new IllegalStateException("the training run of " + v.name() + " wrote no archive; see its log in " + work);
    }
    Bench.say(String.format(Locale.ROOT, "trained %s in %.1f s: %d MiB", archive.getFileName(), (System.nanoTime() - t0) / 1e9,
        Files.size(archive) >> 20));
    return archive;
  }

  private Figures measure(Variant v, Path archive) throws Exception {
    List<Double> readyRuns = new ArrayList<>();
    List<Double> cpuRuns = new ArrayList<>();
    for (int i = 0; i < starts; i++) {
      try (ChildJvm op = start(v, EMPTY_NS, archive, "empty")) {
        readyRuns.add(op.readySeconds);
        cpuRuns.add(op.cpuAtReady);
      }
    }
    double readyEmpty = median(readyRuns);
    String load = Report.loadAverage();
    Variant tracked = new Variant(v.name(), v.javaHome(), v.options() + " -XX:NativeMemoryTracking=summary", v.archiveKind(), v.env());
    try (ChildJvm op = start(tracked, Bench.NS, archive, "N")) {
      long t0 = System.nanoTime();
      awaitReconciles(op, n);
      double resync = (System.nanoTime() - t0) / 1e9;
      awaitQuiet();
      Thread.sleep(3000);
      Path status = Path.of("/proc/" + op.pid() + "/status");
      long rss = Bench.procStatusKiB(status, "VmRSS");
      long anon = Bench.procStatusKiB(status, "RssAnon");
      long file = Bench.procStatusKiB(status, "RssFile");
      int threads = (int) Bench.procStatusKiB(status, "Threads");
      Files.writeString(work.resolve("smaps-" + n + "-" + runs + ".txt"), smaps(op.pid()));
      Map<String, Long> nmt = new LinkedHashMap<>();
      long total = -1;
      String summary = jcmd(v, op, "VM.native_memory", "summary");
      Files.writeString(work.resolve("nmt-" + n + "-" + runs + ".txt"), summary);
      for (String line : summary.split("\n")) {
        Matcher c = NMT_CATEGORY.matcher(line.trim().startsWith("-") ? line.trim() : "");
        if (c.find()) {
          nmt.put(c.group(1).trim(), Long.parseLong(c.group(3)));
        }
        Matcher t = NMT_TOTAL.matcher(line.trim());
        if (t.find()) {
          total = Long.parseLong(t.group(2));
        }
      }
      long restAt = op.startNanos + Duration.ofSeconds(AT_REST).toNanos();
      while (System.nanoTime() < restAt) {
        Thread.sleep(200);
      }
      long rssAtRest = Bench.procStatusKiB(status, "VmRSS");
      long anonAtRest = Bench.procStatusKiB(status, "RssAnon");
      Rest rest = restMinutes > 0 && (restOnly.isEmpty() || restOnly.equals(v.name())) ? atRest(op, status) : null;
      for (int i = 0; i < 3; i++) {
        jcmd(v, op, "GC.run");
      }
      long heap = heapUsed(jcmd(v, op, "GC.heap_info"));
      Thread.sleep(1000);
      long rssAfterGc = Bench.procStatusKiB(status, "VmRSS");
      op.close();
      long[] plain = plainRss(v, archive);
      Figures f = new Figures(v, readyEmpty, op.readySeconds, resync, op.cpuAtReady, rss, anon, file, rssAtRest, anonAtRest, rssAfterGc,
          heap, threads, nmt, total, load, rest, readyRuns, cpuRuns, plain[0], plain[1]);
      Bench.say(String.format(Locale.ROOT, "%s: ready %.2f s empty / %.2f s with N, resync %.2f s; RSS %s (anon %s, file %s), "
          + "after GC %s; heap after GC %s; %d threads; NMT committed %s", v.name(), readyEmpty, op.readySeconds, resync,
          Report.mib(rss), Report.mib(anon), Report.mib(file), Report.mib(rssAfterGc), Report.mib(heap), threads, Report.mib(total)));
      return f;
    }
  }

  /**
   * The resident size (and its anonymous part) 45 s after a start as the chart runs it: without Native Memory Tracking,
   * which the measured start above needs for its table and which costs itself about 1 MiB plus a header on each of
   * some 57,000 mallocs. The same start otherwise: N JwtSecrets, their full resync, then quiet.
   */
  private long[] plainRss(Variant v, Path archive) throws Exception {
    try (ChildJvm op = start(v, Bench.NS, archive, "N, no NMT")) {
      awaitReconciles(op, n);
      awaitQuiet();
      long restAt = op.startNanos + Duration.ofSeconds(AT_REST).toNanos();
      while (System.nanoTime() < restAt) {
        Thread.sleep(200);
      }
      Path status = Path.of("/proc/" + op.pid() + "/status");
      return new long[] {Bench.procStatusKiB(status, "VmRSS"), Bench.procStatusKiB(status, "RssAnon")};
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2) : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
  }

  /**
   * Leaves the operator alone for -Dbench.rest minutes and records what it does: reconciles (the SDK's
   * counter), CPU, the requests it sends (counted by the mock server; on a real API server, its
   * apiserver_request_total by verb and resource, every client's), resident size sampled each 5 s.
   */
  private Rest atRest(ChildJvm op, Path status) throws Exception {
    double reconciles0 = reconciles(op);
    double cpu0 = op.cpuSeconds();
    Map<String, Long> requests0 = requestCounts();
    long rssMin = Long.MAX_VALUE;
    long rssMax = 0;
    long end = System.nanoTime() + (long) (restMinutes * 60e9);
    Bench.say(String.format(Locale.ROOT, "at rest for %.1f min", restMinutes));
    while (System.nanoTime() < end) {
      long rss = Bench.procStatusKiB(status, "VmRSS");
      rssMin = Math.min(rssMin, rss);
      rssMax = Math.max(rssMax, rss);
      Thread.sleep(5000);
    }
    Map<String, Long> requests1 = requestCounts();
    StringBuilder sent = new StringBuilder();
    requests1.forEach((k, v) -> {
      long d = v - requests0.getOrDefault(k, 0L);
      if (d > 0) {
        sent.append(sent.length() == 0 ? "" : ", ").append(k).append(": ").append(d);
      }
    });
    Rest r = new Rest(restMinutes, reconciles(op) - reconciles0, op.cpuSeconds() - cpu0, sent.length() == 0 ? "none" : sent.toString(),
        rssMin, rssMax);
    Bench.say("at rest: " + r);
    return r;
  }

  /** Requests so far by verb and resource: the operator's on the mock server, every client's on a real one. */
  private Map<String, Long> requestCounts() throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    if (realServer == null) {
      String text = http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/bench/counts")).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        String[] f = line.split("\t");
        if (f.length == 4 && f[0].equals("operator")) {
          counts.merge(f[1] + " " + f[2], Long.parseLong(f[3]), Long::sum);
        }
      }
      return counts;
    }
    String text = driver.raw("/metrics");
    Matcher m = APISERVER_REQUESTS.matcher(text);
    while (m.find()) {
      String labels = m.group(1);
      String verb = label(labels, "verb");
      String resource = label(labels, "resource");
      String sub = label(labels, "subresource");
      counts.merge(verb.toLowerCase(Locale.ROOT) + " " + resource + (sub.isEmpty() ? "" : "/" + sub),
          (long) Double.parseDouble(m.group(2)), Long::sum);
    }
    return counts;
  }

  private static final Pattern APISERVER_REQUESTS = Pattern.compile("(?m)^apiserver_request_total\\{([^}]*)\\} (\\S+)$");

  private static String label(String labels, String name) {
    Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  /** Resident and anonymous KiB by mapping (file, or [anon]), largest first: where the RSS is that NMT does not name. */
  static String smaps(long pid) throws IOException {
    Map<String, long[]> byName = new TreeMap<>();
    String name = "";
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        String[] f = line.trim().split("\\s+");
        name = f.length > 5 ? f[5] : "[anon]";
      } else if (line.startsWith("Rss:")) {
        byName.computeIfAbsent(name, k -> new long[2])[0] += Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("Anonymous:")) {
        byName.computeIfAbsent(name, k -> new long[2])[1] += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    StringBuilder sb = new StringBuilder();
    byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(20)
        .forEach(e -> sb.append(String.format(Locale.ROOT, "%8d KiB rss %8d KiB anon  %s%n", e.getValue()[0], e.getValue()[1], e.getKey())));
    return sb.toString();
  }

  /** Heap in use from GC.heap_info: G1's one line, or the sum of Serial's generations. */
  static long heapUsed(String heapInfo) {
    Matcher generations = GENERATION_USED.matcher(heapInfo);
    long sum = 0;
    boolean found = false;
    while (generations.find()) {
      sum += Long.parseLong(generations.group(1));
      found = true;
    }
    if (found) {
      return sum;
    }
    Matcher h = HEAP_USED.matcher(heapInfo);
    return h.find() ? Long.parseLong(h.group(1)) : -1;
  }

  private String jcmd(Variant v, ChildJvm op, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(v.javaHome() + "/bin/jcmd", Long.toString(op.pid())));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + text);
    }
    return text;
  }

  private ChildJvm start(Variant v, String namespace, Path archive, String label) throws Exception {
    int metricsPort = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(v.java());
    String options = archive == null ? v.options() : v.options().replace("{archive}", archive.toString());
    for (String arg : options.trim().split("\\s+")) {
      if (!arg.isEmpty()) {
        cmd.add(arg);
      }
    }
    runs++;
    cmd.addAll(List.of("-jar", jar.toString(), "run", "--namespaces", namespace, "--metrics-port", Integer.toString(metricsPort)));
    Map<String, String> env = new LinkedHashMap<>(v.env());
    Path log = work.resolve("footprint-operator-" + runs + ".log");
    Files.writeString(work.resolve("footprint-operator-" + runs + ".cmd"), String.join(" ", cmd) + "\n" + env + "\n");
    env.putAll(connection());
    ChildJvm op = ChildJvm.start("operator", cmd, env, log);
    op.metricsPort = metricsPort;
    URI readyz = URI.create("http://127.0.0.1:" + metricsPort + "/readyz");
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long readyAt = -1;
    while (System.nanoTime() < deadline) {
      if (!op.process.isAlive()) {
        throw new IllegalStateException("operator exited with " + op.process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          readyAt = System.nanoTime();
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    if (readyAt < 0) {
      op.close();
      throw new IllegalStateException("operator not ready after 5 minutes; see " + log);
    }
    op.readySeconds = (readyAt - op.startNanos) / 1e9;
    op.cpuAtReady = op.cpuSeconds();
    Bench.say(String.format(Locale.ROOT, "operator pid %d (%s, %s, ns %s): /readyz 200 after %.2f s", op.pid(), v.name(), label,
        namespace, op.readySeconds));
    return op;
  }

  private void write(List<Figures> figures, String loadStart, String readyLine) throws IOException {
    out.append("# Footprint, N=").append(n).append("\n\nRun ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" by `mvn -o -q -Pbench verify -Dbench.only=footprint -Dbench.n=").append(n).append("` on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores shared with other builds; load average at start ")
        .append(loadStart).append(", at end ").append(Report.loadAverage()).append(". The operator: the runtime jar (as in the image), ")
        .append(n).append(" JwtSecrets with their Secrets and Deployments in its namespace.\n\n").append(readyLine).append('\n');
    out.append("| JVM and options | /readyz empty | /readyz with N | resync of N | CPU s at ready | RSS after the resync | anon / file "
        + "| RSS at " + AT_REST + " s (anon) | RSS at " + AT_REST + " s without NMT (anon) | RSS after full GC | heap after full GC "
        + "| threads | NMT committed | load |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Figures f : figures) {
      out.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s | %.2f | **%s** | %s / %s | **%s** (%s) | **%s** (%s) | %s | %s | %d | %s | %s |%n",
          f.variant().name(), f.readyEmpty(), f.readyFull(), f.resync(), f.cpuAtReady(), Report.mib(f.rss()), Report.mib(f.rssAnon()),
          Report.mib(f.rssFile()), Report.mib(f.rssAtRest()), Report.mib(f.rssAnonAtRest()), Report.mib(f.rssPlain()),
          Report.mib(f.anonPlain()), Report.mib(f.rssAfterGc()),
          Report.mib(f.heapAfterGc()), f.threads(), Report.mib(f.nmtTotal()), f.load()));
    }
    if (starts > 1) {
      out.append("\n/readyz on the empty namespace, ").append(starts).append(" starts each (the table shows the median): wall s (CPU s)\n\n");
      for (Figures f : figures) {
        out.append("- ").append(f.variant().name()).append(": ");
        for (int i = 0; i < f.readyEmptyRuns().size(); i++) {
          out.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f (%.2f)", f.readyEmptyRuns().get(i), f.cpuEmptyRuns().get(i)));
        }
        out.append(String.format(Locale.ROOT, "; median %.2f s, CPU median %.2f s%n", median(f.readyEmptyRuns()), median(f.cpuEmptyRuns())));
      }
    }
    if (figures.stream().anyMatch(f -> f.rest() != null)) {
      out.append("\nAt rest after the resync (nothing changed; requests ").append(realServer == null ? "the operator's, counted by the mock server"
          : "of every client, from the API server's apiserver_request_total").append("):\n\n")
          .append("| JVM and options | minutes | reconciles | CPU s | requests (verb resource: count) | resident min – max |\n|---|---|---|---|---|---|\n");
      for (Figures f : figures) {
        Rest r = f.rest();
        if (r != null) {
          out.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.1f | %s | %s – %s |%n", f.variant().name(), r.minutes(), r.reconciles(),
              r.cpuSeconds(), r.requests(), Report.mib(r.rssMin()), Report.mib(r.rssMax())));
        }
      }
    }
    out.append("\nNative Memory Tracking, committed MiB by category (`jcmd PID VM.native_memory summary`, after the resync):\n\n");
    List<String> categories = new ArrayList<>();
    for (Figures f : figures) {
      f.nmt().keySet().stream().filter(c -> !categories.contains(c)).forEach(categories::add);
    }
    out.append("| JVM and options | ").append(String.join(" | ", categories)).append(" |\n|---|");
    categories.forEach(c -> out.append("---|"));
    out.append('\n');
    for (Figures f : figures) {
      out.append("| ").append(f.variant().name()).append(" |");
      for (String c : categories) {
        Long kib = f.nmt().get(c);
        out.append(' ').append(kib == null ? "–" : String.format(Locale.ROOT, "%.1f", kib / 1024.0)).append(" |");
      }
      out.append('\n');
    }
    out.append("\nThe options of each variant:\n\n");
    for (Figures f : figures) {
      out.append("- ").append(f.variant().name()).append(": `").append(f.variant().javaHome()).append("` `")
          .append(f.variant().options().trim()).append('`').append(f.variant().env().isEmpty() ? "" : " env " + f.variant().env())
          .append('\n');
    }
    Path file = work.resolve("FOOTPRINT-" + n + ".md");
    Files.writeString(file, out);
    System.out.println(out);
    String heading = Report.FOOTPRINT_HEADING + ", N=" + n + (realServer == null ? " (mock API server)" : " (kube-apiserver)");
    Report.replaceSection(Path.of("bench/RESULTS.md"), heading, out.substring(out.indexOf("\n\n") + 2));
    Bench.say("written to " + file + " and bench/RESULTS.md (" + heading + ")");
  }

  // ------------------------------------------------------------------------------------------------

  private KubernetesClient client(String userAgent) {
    Config config = realServer != null
        ? new ConfigBuilder(Config.fromKubeconfig(null, readString(realServer), realServer.toString())).withNamespace(Bench.NS)
            .withUserAgent(userAgent).withRequestTimeout(120_000).build()
        : new ConfigBuilder(Config.empty()).withMasterUrl(apiUrl).withNamespace(Bench.NS).withUserAgent(userAgent)
            .withRequestTimeout(120_000).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private Tracker watch(String ns) {
    Tracker tracker = new Tracker();
    KubernetesClient watcher = client("bench-watch");
    watcher.resources(JwtSecret.class).inNamespace(ns).inform(tracker);
    return tracker;
  }

  private Map<String, String> connection;

  /**
   * How the measured operators reach the API server: as in a pod, without a kubeconfig file. In a pod fabric8 finds
   * no kubeconfig and configures itself from the service account; read from a kubeconfig it loads a YAML parser and
   * the kubeconfig model (about 190 classes) that a pod never loads. The server, its CA and the client's
   * certificate or token go in fabric8's environment variables (files under target/bench, owner-only; none of them
   * is written to the .cmd files or the log).
   */
  private Map<String, String> connection() throws IOException {
    if (connection != null) {
      return connection;
    }
    io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_MASTER", config.getMasterUrl());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    Path dir = Files.createDirectories(work.resolve("connection"));
    putFile(env, "KUBERNETES_CERTS_CA_FILE", dir.resolve("ca.crt"), config.getCaCertData(), config.getCaCertFile());
    if (realServer != null && AS_POD) {
      // As the chart's pod: its ServiceAccount's token under the chart's RBAC, no client certificate.
      env.put("KUBERNETES_AUTH_TOKEN", chartServiceAccountToken());
      connection = env;
      return env;
    }
    putFile(env, "KUBERNETES_CERTS_CLIENT_FILE", dir.resolve("client.crt"), config.getClientCertData(), config.getClientCertFile());
    putFile(env, "KUBERNETES_CERTS_CLIENT_KEY_FILE", dir.resolve("client.key"), config.getClientKeyData(), config.getClientKeyFile());
    if (config.getAutoOAuthToken() != null || config.getOauthToken() != null) {
      env.put("KUBERNETES_AUTH_TOKEN", config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken());
    }
    connection = env;
    return env;
  }

  /** The JDK's TLS 1.3 and ECDHE AEAD suites, ChaCha20-Poly1305 first (variant 22). */
  static final String CHACHA_FIRST = String.join(",", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

  /**
   * -Dbench.asPod (default true; a real API server only): the measured operators connect as the chart's
   * Deployment does, with a token of the chart's ServiceAccount and only the chart's RBAC, not as the
   * admin's client certificate. A pod never reads a client key: the admin's cost fabric8 a PEM parse
   * and a PKCS#12 key store (PBKDF2) at every start, and the admin skips authorization.
   */
  static final boolean AS_POD = Boolean.parseBoolean(System.getProperty("bench.asPod", "true"));
  /** Applies the chart's ServiceAccount and RBAC (release "jwt-bench", as the e2e tier renders them) and returns a token of it. */
  private String chartServiceAccountToken() {
    String ns = io.photoapp.jwt.e2e.E2ECluster.OPERATOR_NAMESPACE;
    if (driver.namespaces().withName(ns).get() == null) {
      driver.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    List<io.fabric8.kubernetes.api.model.HasMetadata> rbac = io.photoapp.jwt.e2e.E2ECluster.chartRbac("jwt-bench", Map.of());
    rbac.forEach(object -> driver.resource(object).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update));
    String serviceAccount = io.photoapp.jwt.e2e.E2ECluster.serviceAccountOf(rbac);
    Bench.say("the operators connect as the chart's ServiceAccount " + ns + "/" + serviceAccount + " (a token, the chart's RBAC)");
    return io.photoapp.jwt.e2e.E2ECluster.tokenRequest(driver, serviceAccount).getStatus().getToken();
  }

  private static void putFile(Map<String, String> env, String name, Path file, String base64Data, String path) throws IOException {
    if (path != null) {
      env.put(name, path);
    } else if (base64Data != null) {
      Files.deleteIfExists(file);
      Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.write(file, java.util.Base64.getDecoder().decode(base64Data.trim()));
      env.put(name, file.toString());
    }
  }

  private Path writeKubeconfig() throws IOException {
    Path file = work.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: bench
            cluster:
              server: %s
        contexts:
          - name: bench
            context:
              cluster: bench
              user: bench
              namespace: %s
        current-context: bench
        users:
          - name: bench
            user:
              token: bench
        """.formatted(apiUrl, Bench.NS));
    return file;
  }

  private double reconciles(ChildJvm op) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + op.metricsPort + "/metrics"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("operator_sdk_reconciliations_success_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private void awaitReconciles(ChildJvm op, double target) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (reconciles(op) < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reconciles stuck at " + reconciles(op) + " of " + target);
      }
      Thread.sleep(250);
    }
  }

  /** Waits until the operator has sent no request for 1.5 s. */
  private void awaitQuiet() throws Exception {
    if (realServer != null) {
      Thread.sleep(3000);
      return;
    }
    long last = -1;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      long total = 0;
      String counts = http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/bench/counts")).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : counts.split("\n")) {
        String[] f = line.split("\t");
        if (f.length == 4 && f[0].equals("operator")) {
          total += Long.parseLong(f[3]);
        }
      }
      if (total != last) {
        last = total;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 1_500_000_000L) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void parallel(int count, IntConsumer body) throws Exception {
    List<Future<?>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int k = i;
      futures.add(pool.submit(() -> body.accept(k)));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  private void shutdown() {
    pool.shutdownNow();
    if (driver != null) {
      driver.close();
    }
    if (floorClient != null) {
      floorClient.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
