package io.photoapp.jwt.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.status.Conditions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Scale and footprint benchmark (issue #7). Starts the fabric8 mock API server (CRUD mode) in a
 * child JVM, runs the operator jar in another child JVM against it, and measures: time to Ready for
 * N JwtSecrets beside the floor (a bare client doing the same Secret create and status patch),
 * requests in a steady-state resync, requests per rotation, the operator's heap and resident size
 * (with and without 10,000 unrelated Secrets), start-up to /readyz, and key generation speed.
 * Prints a Markdown table and writes it to bench/RESULTS.md.
 *
 * <p>Run: {@code mvn -o -q -Pbench verify} (options: -Dbench.n=1000, -Dbench.unrelated=10000,
 * -Dbench.operatorJvm="...", -Dbench.retire=true, -Dbench.phases=labelled for phase 4c alone, -Dbench.labelled=200;
 * run directly, -Dbench.jfr=true records each operator process with JFR and -Dbench.startupVariants=false skips the
 * start-up variants).
 */
public final class Bench {
  static final String NS = "bench";
  static final String FLOOR_NS = "floor";
  /** Writers in parallel: the operator's reconcile threads, and the same for the floor and the applies. */
  static final int THREADS = 10;

  private final int n = Integer.getInteger("bench.n", 1000);
  private final int unrelated = Integer.getInteger("bench.unrelated", 10_000);
  private final int warmup = Integer.getInteger("bench.warmup", 200);
  private final boolean retire = Boolean.parseBoolean(System.getProperty("bench.retire", "true"));
  /** -Dbench.phases=labelled: only 4c (the labelled Secrets' heap), written to target/bench/RESULTS-labelled.md. */
  private final boolean labelledOnly = "labelled".equals(System.getProperty("bench.phases", "all"));
  /** Where the image keeps its AppCDS archive; the bench trains its own the same way (see {@link #train}). */
  static final String IMAGE_ARCHIVE = "/app/jwt-secret-operator.jsa";
  /** The chart's memory limit, which the JVM sees in a pod (read from values.yaml). */
  private String memoryLimit;
  private final String operatorJvmOverride = System.getProperty("bench.operatorJvm", "").trim();
  /** The operator's JVM options: the chart's javaToolOptions with the bench's archive, or -Dbench.operatorJvm. */
  private String operatorJvm;
  private String shippedOptions;
  private final Path jar = Path.of(System.getProperty("bench.jar", "target/jwt-secret-operator.jar"));
  private final Path results = Path.of(System.getProperty("bench.results", "bench/RESULTS.md"));
  private final Path work = Path.of(System.getProperty("bench.work", "target/bench"));
  private final Path archive = work.resolve("operator.jsa").toAbsolutePath();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final Report report = new Report();
  private String apiUrl;
  private ChildJvm server;
  private KubernetesClient driver;
  private KubernetesClient floorClient;
  private int operatorRuns;
  private long[] floorSizes;
  private double lastFloorServerCpu;
  private final List<KubernetesClient> watchers = new ArrayList<>();
  /** How long a start may take to /readyz; more for the start that lists 200 MiB from the mock server. */
  private Duration readyTimeout = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    Bench bench = new Bench();
    int code = 0;
    try {
      bench.run();
    } catch (Throwable t) {
      t.printStackTrace();
      code = 1;
    } finally {
      bench.shutdown();
    }
    System.exit(code);
  }

  // ------------------------------------------------------------------------------------------------

  private void run() throws Exception {
    Files.createDirectories(work);
    if ("footprint".equals(System.getProperty("bench.only", ""))) {
      // Issue #19: resident memory, NMT and start-up by JVM and options, one N (Footprint).
      Footprint.main(chartMemoryLimit(), chartJavaToolOptions());
      return;
    }
    // 6. Key generation first, while this process is alone (the children are not started yet).
    if (!labelledOnly) {
      report.keygen(keygen());
      // 7. Asymmetric keys, here and under the chart's JIT flags.
      String asymmetric = asymmetricKeygen();
      report.asymmetric(asymmetric);
      if ("keygen".equals(System.getProperty("bench.only", ""))) {
        Report.replaceSection(Path.of("bench/RESULTS.md"), Report.ASYMMETRIC_HEADING, "Run " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + " by `mvn -o -q -Pbench verify -Dbench.only=keygen` on " + Runtime.getRuntime().availableProcessors()
            + " cores shared with other builds (load average at end " + Report.loadAverage() + "). " + asymmetric);
        say("section 7 of bench/RESULTS.md written (-Dbench.only=keygen: nothing else measured)");
        return;
      }
    }
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run through `mvn -o -q -Pbench verify`, which packages it first");
    }
    shippedOptions = chartJavaToolOptions();
    memoryLimit = chartMemoryLimit();
    // Alone, 4c reuses the archive of an earlier run when it was made from this jar.
    if (!labelledOnly || !Files.exists(archive)
        || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
      train();
    }
    operatorJvm = operatorJvmOverride.isEmpty()
        ? "-XX:MaxRAM=" + memoryLimit + " " + shippedOptions.replace(IMAGE_ARCHIVE, archive.toString())
        : operatorJvmOverride;
    say("N=" + n + ", unrelated Secrets=" + unrelated + ", operator JVM flags: " + operatorJvm);
    server = ChildJvm.start("api-server", List.of(ChildJvm.javaBin(), "-cp", System.getProperty("java.class.path"),
        BenchApiServer.class.getName()), Map.of(), work.resolve("api-server.log"));
    String port = server.await(l -> l.startsWith("PORT "), 60_000).text().substring(5).trim();
    apiUrl = "http://127.0.0.1:" + port;
    Path kubeconfig = writeKubeconfig();
    driver = client("bench-driver");
    floorClient = client("bench-floor");
    driver.resource(crd()).create();
    for (String ns : List.of(NS, FLOOR_NS)) {
      driver.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    if (labelledOnly) {
      // 4c alone: ten JwtSecrets of the operator's own beside the labelled Secrets.
      parallel(10, i -> driver.apps().deployments().inNamespace(NS).resource(deployment(i)).create());
      labelled(kubeconfig, 10);
      report.write(work.resolve("RESULTS-labelled.md"));
      return;
    }
    say("API server pid " + server.pid() + " at " + apiUrl + "; creating " + n + " target Deployments");
    parallel(n, i -> driver.apps().deployments().inNamespace(NS).resource(deployment(i)).create());

    // 1. Throughput: the floor first (twice, each time removed again so that the operator meets the same
    // server population), then the operator.
    Tracker floorTracker = watch(FLOOR_NS);
    floor(floorTracker, warmup);
    say("floor warm-up of " + warmup + " done");
    List<Double> floorSeconds = new ArrayList<>();
    List<Double> floorServerCpu = new ArrayList<>();
    Map<String, Long> floorCounts = null;
    for (int round = 0; round < 2; round++) {
      Map<String, Long> before = counts();
      double s = floor(floorTracker, n);
      floorServerCpu.add(lastFloorServerCpu);
      floorSeconds.add(s);
      floorCounts = minus(counts(), before);
      say(String.format(Locale.ROOT, "floor round %d: %d JwtSecrets to Ready in %.2f s", round + 1, n, s));
    }

    // 1b. The operator's own speed: the same round with its request rate limit out of the way.
    Tracker tracker = watch(NS);
    double unlimited;
    try (ChildJvm fast = startOperator(kubeconfig, "unlimited", "", List.of("--max-requests-per-second", "100000"))) {
      operatorWarmup(tracker, warmup);
      tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
      double cpu0 = fast.cpuSeconds();
      long start = System.nanoTime();
      parallel(n, i -> driver.resource(manifest(NS, i)).create());
      unlimited = tracker.awaitAll(n, start, Duration.ofMinutes(5));
      say(String.format(Locale.ROOT, "operator without the rate limit: %d JwtSecrets to Ready in %.2f s (%.2f CPU s)", n,
          unlimited, fast.cpuSeconds() - cpu0));
      removeAll(tracker, n);
    }

    ChildJvm operator = startOperator(kubeconfig, "empty");
    // The same warm-up as the floor's: the operator's JVM meets the measured N with its code compiled.
    operatorWarmup(tracker, warmup);
    say("operator warm-up of " + warmup + " done");
    resetCounts();
    double serverCpu0 = server.cpuSeconds();
    double operatorCpu0 = operator.cpuSeconds();
    tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
    long t0 = System.nanoTime();
    parallel(n, i -> driver.resource(manifest(NS, i)).create());
    long applied = System.nanoTime();
    double opSeconds = tracker.awaitAll(n, t0, Duration.ofMinutes(5));
    double serverCpu = server.cpuSeconds() - serverCpu0;
    double operatorCpu = operator.cpuSeconds() - operatorCpu0;
    awaitQuiet();
    Map<String, Long> createCounts = operatorCounts(counts());
    say(String.format(Locale.ROOT, "operator: %d JwtSecrets to Ready in %.2f s (applies took %.2f s)", n, opSeconds,
        (applied - t0) / 1e9));
    report.unlimited(unlimited);
    report.throughput(n, floorSeconds, floorServerCpu, opSeconds, (applied - t0) / 1e9, serverCpu, operatorCpu, floorCounts, createCounts);
    report.sizes(sizeOf(NS), floorSizes);

    // 2a. Steady state: touch every JwtSecret with an annotation; every reconcile must find nothing to do.
    resetCounts();
    double reconciles0 = reconciles(operator);
    t0 = System.nanoTime();
    parallel(n, i -> driver.resources(JwtSecret.class).inNamespace(NS).withName(name(i))
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"bench/poke\":\"" + System.nanoTime() + "\"}}}"));
    awaitReconciles(operator, reconciles0 + n);
    double pokeSeconds = (System.nanoTime() - t0) / 1e9;
    awaitQuiet();
    report.steady("annotation poke of every JwtSecret", n, pokeSeconds, operatorCounts(counts()));

    // 4a. Memory with N JwtSecrets.
    histogram(operator, "1-after-create");
    long heap1 = operator.heapAfterFullGcKiB(3);
    long rss1 = operator.rssKiB();
    long heap1b = operator.heapAfterFullGcKiB(3);
    say("operator heap after full GC: " + heap1 + " KiB, again " + heap1b + " KiB; RSS " + rss1 + " KiB");
    report.memory(n, heap1, heap1b, rss1);

    // 2b and 5. Restart on the same server: start-up with N in place, then the full resync. (The unrelated
    // Secrets come last: the mock server scans every object it holds on each request, so 10,000 more
    // objects would slow every later phase.)
    operator.close();
    resetCounts();
    operator = startOperator(kubeconfig, "with " + n + " JwtSecrets, their Secrets and Deployments");
    t0 = System.nanoTime();
    awaitReconciles(operator, n);
    double resyncSeconds = (System.nanoTime() - t0) / 1e9;
    awaitQuiet();
    report.steady("operator restart (full resync)", n, resyncSeconds, operatorCounts(counts()));
    histogram(operator, "2-after-restart");
    long heap3 = operator.heapAfterFullGcKiB(3);
    long rss3 = operator.rssKiB();
    report.memoryRow("a new operator process after the restart and its resync", heap3, rss3);

    // 3. Rotation of all N: Staged, propagationDelay 0s, the Deployment controller simulated.
    try (KubernetesClient workloads = client("bench-workloads");
        WorkloadSimulator controller = new WorkloadSimulator(workloads, NS)) {
      resetCounts();
      Map<String, Integer> countsBefore = new ConcurrentHashMap<>();
      tracker.objects().forEach(js -> countsBefore.put(js.getMetadata().getName(),
          js.getStatus().rotationCount == null ? 0 : js.getStatus().rotationCount));
      String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
      tracker.trace(name(0));
      tracker.expect(js -> rotated(js, countsBefore) && js.getStatus().previousKeyId != null);
      t0 = System.nanoTime();
      parallel(n, i -> driver.resources(JwtSecret.class).inNamespace(NS).withName(name(i))
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + Labels.ROTATE_AFTER
              + "\":\"" + now + "\"}}}"));
      // --max-concurrent-rollouts (10 by default) paces the rollouts: at N=1,000 only 919 had switched after 5 minutes.
      Duration rotationWait = Duration.ofMinutes(5).plusMillis(500L * n);
      double switched = tracker.awaitAll(n, t0, rotationWait);
      say(String.format(Locale.ROOT, "rotation: all %d switched to the new key in %.2f s", n, switched));
      Double retired = null;
      if (retire) {
        tracker.expect(js -> rotated(js, countsBefore) && js.getStatus().previousKeyId == null
            && "Idle".equals(String.valueOf(js.getStatus().phase))
            && Conditions.isTrue(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE));
        retired = tracker.awaitAll(n, t0, rotationWait);
        say(String.format(Locale.ROOT, "rotation: all %d retired the previous key at %.2f s", n, retired));
      }
      awaitQuiet();
      report.rotation(n, switched, retired, operatorCounts(counts()), counts());
      Files.write(work.resolve("status-trace-" + name(0) + ".txt"), tracker.traceLines());
    }
    // 4b. The unrelated Secrets: measured in the same process just before and after.
    histogram(operator, "3-before-unrelated");
    long heap4 = operator.heapAfterFullGcKiB(3);
    long rss4 = operator.rssKiB();
    report.memoryRow("the same process after the rotation of all N", heap4, rss4);
    say("creating " + unrelated + " unrelated 1 KiB Secrets");
    double serverRss0 = server.rssKiB();
    parallel(unrelated, i -> driver.secrets().inNamespace(NS).resource(unrelatedSecret(i)).create());
    awaitQuiet();
    Thread.sleep(2000);
    histogram(operator, "4-with-unrelated");
    long heap5 = operator.heapAfterFullGcKiB(3);
    long rss5 = operator.rssKiB();
    say("with unrelated Secrets: heap " + heap5 + " KiB (before " + heap4 + "), RSS " + rss5 + " KiB (API server RSS grew by "
        + (long) ((server.rssKiB() - serverRss0) / 1024) + " MiB)");
    report.unrelated(unrelated, heap4, heap5, rss4, rss5);
    operator.close();

    // 5b. Start-up variants, on the server as it is now (N JwtSecrets, the unrelated Secrets).
    if (Boolean.parseBoolean(System.getProperty("bench.startupVariants", "true"))) {
      startupVariants(kubeconfig);
    }
    // 4c. Last, as it leaves 200 MiB in the API server until it deletes them.
    labelled(kubeconfig, 0);
    report.write(results);
  }

  /**
   * 4c. Anyone who may create Secrets can put the operator's label on them: {@code bench.labelled} (200)
   * labelled Secrets of 1 MiB each that no JwtSecret owns (half with forged owner annotations). The
   * heap after full GCs before and after they arrive through the watch, and in a new process that
   * lists them at start-up (in pages). {@code own} JwtSecrets are applied first when the server holds none.
   */
  private void labelled(Path kubeconfig, int own) throws Exception {
    int count = Integer.getInteger("bench.labelled", 200);
    long before;
    long after;
    long rssBefore;
    long rssAfter;
    try (ChildJvm op = startOperator(kubeconfig, "labelled", "", List.of())) {
      if (own > 0) {
        Tracker tracker = watch(NS);
        tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
        parallel(own, i -> driver.resource(manifest(NS, i)).create());
        tracker.awaitAll(own, System.nanoTime(), Duration.ofMinutes(5));
      } else {
        awaitReconciles(op, n);
      }
      awaitQuiet();
      before = op.heapAfterFullGcKiB(3);
      rssBefore = op.rssKiB();
      say("creating " + count + " labelled 1 MiB Secrets that no JwtSecret owns; operator heap before: " + before + " KiB");
      parallel(count, i -> driver.secrets().inNamespace(NS).resource(labelledSecret(i, Map.of())).create());
      // The Secret watch delivers in order: once the sentinel (its owner annotation names a JwtSecret)
      // has made the operator reconcile that JwtSecret, the operator has taken in every Secret before it.
      double r0 = reconciles(op);
      driver.secrets().inNamespace(NS).resource(labelledSecret(count, Map.of(Labels.OWNER, NS + "/" + name(0),
          Labels.OWNER_UID, "forged"))).create();
      awaitReconciles(op, r0 + 1);
      histogram(op, "5-with-labelled");
      after = op.heapAfterFullGcKiB(3);
      rssAfter = op.rssKiB();
      say("with the labelled Secrets: heap " + after + " KiB (before " + before + "), RSS " + rssAfter + " KiB");
    }
    long fresh;
    // The mock server's one event loop takes long to list 200 MiB (it parses each object it holds).
    readyTimeout = Duration.ofMinutes(5);
    try (ChildJvm op = startOperator(kubeconfig, "labelled, restarted", "", List.of())) {
      awaitQuiet();
      histogram(op, "6-restarted-with-labelled");
      fresh = op.heapAfterFullGcKiB(3);
      say("a new operator process with the labelled Secrets in place: heap " + fresh + " KiB");
    } finally {
      readyTimeout = Duration.ofSeconds(60);
    }
    report.labelled(count, before, after, fresh, rssBefore, rssAfter);
    parallel(count + 1, i -> driver.secrets().inNamespace(NS).withName(labelledName(i)).delete());
  }

  private static String labelledName(int i) {
    return String.format(Locale.ROOT, "labelled-%05d", i);
  }

  /** A Secret with the operator's label and 1 MiB of random data; odd ones name a JwtSecret that does not exist as owner. */
  private static Secret labelledSecret(int i, Map<String, String> annotations) {
    byte[] payload = new byte[1024 * 1024];
    new java.util.Random(i).nextBytes(payload);
    Map<String, String> forged = new LinkedHashMap<>(annotations);
    if (annotations.isEmpty() && i % 2 == 1) {
      forged.put(Labels.OWNER, NS + "/nobody-" + i);
      forged.put(Labels.OWNER_UID, "forged-" + i);
    }
    return new SecretBuilder().withNewMetadata().withName(labelledName(i)).withNamespace(NS)
        .withLabels(Map.of(Labels.MANAGED, Labels.TRUE)).withAnnotations(forged).endMetadata()
        .withType("Opaque").withData(Map.of("jwt-secret-key", Base64.getEncoder().encodeToString(payload))).build();
  }

  private static boolean rotated(JwtSecret js, Map<String, Integer> before) {
    Integer was = before.get(js.getMetadata().getName());
    return js.getStatus() != null && js.getStatus().rotationCount != null && was != null && js.getStatus().rotationCount > was;
  }

  // ------------------------------------------------------------------------------------------------
  // The floor: a bare client doing the writes a reconcile must do.

  /** Applies {@code count} JwtSecrets and, for each, creates its Secret and patches its status; then removes them all. */
  private double floor(Tracker tracker, int count) throws Exception {
    tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
    KeyGenerator generator = new KeyGenerator();
    double cpu0 = server.cpuSeconds();
    long t0 = System.nanoTime();
    parallel(count, i -> {
      JwtSecret js = driver.resource(manifest(FLOOR_NS, i)).create();
      KeyValue key = generator.generate(Encoding.URLSAFE, 64);
      String kid = KeyIds.of(key);
      floorClient.secrets().inNamespace(FLOOR_NS).resource(FloorObjects.secret(js, key, kid)).create();
      // resource(js): fabric8 sends the patch alone; withName(..).patch(..) would GET the object first.
      floorClient.resources(JwtSecret.class).inNamespace(FLOOR_NS).resource(js).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), FloorObjects.statusPatch(js, kid));
    });
    double seconds = tracker.awaitAll(count, t0, Duration.ofMinutes(5));
    lastFloorServerCpu = server.cpuSeconds() - cpu0;
    floorSizes = sizeOf(FLOOR_NS);
    parallel(count, i -> {
      driver.resources(JwtSecret.class).inNamespace(FLOOR_NS).withName(name(i)).delete();
      driver.secrets().inNamespace(FLOOR_NS).withName(name(i)).delete();
    });
    tracker.awaitEmpty(Duration.ofMinutes(2));
    return seconds;
  }

  /** Applies {@code count} JwtSecrets, waits until the operator has made them Ready, then removes them and their Secrets. */
  private void operatorWarmup(Tracker tracker, int count) throws Exception {
    tracker.expect(js -> Conditions.isTrue(js.getStatus() == null ? null : js.getStatus().conditions, Conditions.READY));
    parallel(count, i -> driver.resource(manifest(NS, i)).create());
    tracker.awaitAll(count, System.nanoTime(), Duration.ofMinutes(5));
    removeAll(tracker, count);
  }

  /** Deletes the first {@code count} JwtSecrets and, once the operator has let them go, their Secrets. */
  private void removeAll(Tracker tracker, int count) throws Exception {
    parallel(count, i -> driver.resources(JwtSecret.class).inNamespace(NS).withName(name(i)).delete());
    tracker.awaitEmpty(Duration.ofMinutes(2));
    // Retain (the default) leaves each Secret behind as a plain Secret, released on the Delete event.
    parallel(count, i -> driver.secrets().inNamespace(NS).withName(name(i)).delete());
    awaitQuiet();
  }

  // ------------------------------------------------------------------------------------------------
  // The operator process.

  private ChildJvm startOperator(Path kubeconfig, String label) throws Exception {
    ChildJvm op = startOperator(kubeconfig, label, "", List.of());
    report.startup(label, op.readySeconds, op.runningSeconds, op.notReadyAnswers, op.cpuAtReady);
    return op;
  }

  /** Starts the operator jar with the bench's JVM flags plus {@code extraJvm}, and waits for /readyz. */
  private ChildJvm startOperator(Path kubeconfig, String label, String extraJvm) throws Exception {
    return startOperator(kubeconfig, label, extraJvm, List.of());
  }

  /** The same, with {@code extraArgs} after {@code run}'s own. */
  private ChildJvm startOperator(Path kubeconfig, String label, String extraJvm, List<String> extraArgs) throws Exception {
    return launch(kubeconfig, label, operatorJvm + " " + extraJvm, extraArgs);
  }

  /** Starts the operator jar with exactly these JVM flags. */
  private ChildJvm startOperatorWith(Path kubeconfig, String label, String jvmFlags) throws Exception {
    return launch(kubeconfig, label, jvmFlags, List.of());
  }

  private ChildJvm launch(Path kubeconfig, String label, String jvmFlags, List<String> extraArgs) throws Exception {
    int metricsPort = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.operatorJavaBin());
    for (String arg : jvmFlags.trim().split("\\s+")) {
      if (!arg.isEmpty()) {
        cmd.add(arg);
      }
    }
    operatorRuns++;
    if (Boolean.getBoolean("bench.jfr")) {
      cmd.add("-XX:StartFlightRecording=filename=" + work.resolve("operator-" + operatorRuns + ".jfr") + ",settings=profile");
    }
    cmd.addAll(List.of("-jar", jar.toString(), "run", "--namespaces", NS, "--metrics-port", Integer.toString(metricsPort)));
    cmd.addAll(extraArgs);
    ChildJvm op = ChildJvm.start("operator", cmd, Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString()),
        work.resolve("operator-" + operatorRuns + ".log"));
    op.metricsPort = metricsPort;
    URI readyz = URI.create("http://127.0.0.1:" + metricsPort + "/readyz");
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    long readyAt = -1;
    int notReady = 0;
    while (System.nanoTime() < deadline) {
      if (!op.process.isAlive()) {
        throw new IllegalStateException("operator exited with " + op.process.exitValue() + "; see " + work.resolve("operator-" + operatorRuns + ".log"));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          readyAt = System.nanoTime();
          break;
        }
        notReady++;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    if (readyAt < 0) {
      throw new IllegalStateException("operator not ready after " + readyTimeout.toSeconds() + " s");
    }
    ChildJvm.TimedLine running = op.await(l -> l.contains("jwt-secret-operator running"), readyTimeout.toMillis());
    double ready = (readyAt - op.startNanos) / 1e9;
    double started = (running.nanos() - op.startNanos) / 1e9;
    say(String.format(Locale.ROOT, "operator pid %d (%s): /readyz 200 after %.2f s (%d answers 503 before); "
        + "'running' logged after %.2f s", op.pid(), label, ready, notReady, started));
    op.readySeconds = ready;
    op.runningSeconds = started;
    op.notReadyAnswers = notReady;
    op.cpuAtReady = op.cpuSeconds();
    return op;
  }

  /**
   * What limits start-up: the same start with JVM options that cut class loading (an AppCDS archive
   * made by a training start) and JIT work (C1 only). Three starts each; the median is reported.
   */
  /** The image's JVM options: the chart's javaToolOptions (the image build sets the same: ImageBuilder reads them from values.yaml). */
  static String chartJavaToolOptions() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("helm/jwt-secret-operator/values.yaml"))) {
      if (line.startsWith("javaToolOptions:")) {
        return line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
      }
    }
    throw new IllegalStateException("no javaToolOptions in helm/jwt-secret-operator/values.yaml");
  }

  /** The chart's container memory limit, as a -XX:MaxRAM value ("384Mi" becomes "384m"). */
  static String chartMemoryLimit() throws java.io.IOException {
    String values = Files.readString(Path.of("helm/jwt-secret-operator/values.yaml"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\n  limits:\\n    memory: (\\d+)Mi").matcher(values);
    if (!m.find()) {
      throw new IllegalStateException("no resources.limits.memory in Mi in helm/jwt-secret-operator/values.yaml");
    }
    return m.group(1) + "m";
  }

  /** Records an AppCDS archive with a training run of the demo (-XX:ArchiveClassesAtExit); the image records its own with a run of `run` in its tree (ImageBuilder). */
  private void train() throws Exception {
    Files.deleteIfExists(archive);
    long t0 = System.nanoTime();
    // With the chart's options (the collector and object headers must match the run's), on the operator's JDK.
    List<String> command = new ArrayList<>(List.of(ChildJvm.operatorJavaBin()));
    for (String arg : shippedOptions.replaceAll("-XX:SharedArchiveFile=\\S+", "").trim().split("\\s+")) {
      if (!arg.isEmpty()) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(), "demo", "--duration", "30s", "--dir", "."));
    try (ChildJvm training = ChildJvm.start("training", command, Map.of(), work.resolve("training.log"))) {
      if (!training.process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES) || training.process.exitValue() != 0) {
        throw new IllegalStateException("the AppCDS training run failed; see " + work.resolve("training.log"));
      }
    }
    if (!Files.exists(archive)) {
      throw new IllegalStateException("the training run wrote no AppCDS archive; see " + work.resolve("training.log"));
    }
    say(String.format(Locale.ROOT, "AppCDS archive trained by the demo in %.1f s: %d MiB", (System.nanoTime() - t0) / 1e9,
        Files.size(archive) >> 20));
  }

  private void startupVariants(Path kubeconfig) throws Exception {
    String withArchive = "-XX:SharedArchiveFile=" + archive;
    String base = "-XX:MaxRAM=" + memoryLimit + " " + shippedOptions.replace("-XX:SharedArchiveFile=" + IMAGE_ARCHIVE, "")
        .replace("-XX:TieredStopAtLevel=1", "").trim().replaceAll("\\s+", " ");
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("as shipped (" + operatorJvm + ")", operatorJvm);
    variants.put("without the AppCDS archive", operatorJvm.replace(withArchive, ""));
    variants.put("without C1-only JIT", operatorJvm.replace("-XX:TieredStopAtLevel=1", ""));
    variants.put("neither (" + base + ")", base);
    for (Map.Entry<String, String> v : variants.entrySet()) {
      List<double[]> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        try (ChildJvm op = startOperatorWith(kubeconfig, v.getKey(), v.getValue())) {
          runs.add(new double[] {op.readySeconds, op.cpuAtReady});
        }
      }
      runs.sort(java.util.Comparator.comparingDouble(r -> r[0]));
      report.startupVariant(v.getKey(), runs.stream().mapToDouble(r -> r[0]).toArray(), runs.get(1)[1]);
    }
  }

  /** Saves the live-object histogram (it runs a full GC) for the record: target/bench/histogram-*.txt. */
  private void histogram(ChildJvm op, String label) throws Exception {
    Files.writeString(work.resolve("histogram-" + label + ".txt"), op.jcmd("GC.class_histogram"));
  }

  private double reconciles(ChildJvm op) throws Exception {
    String text = get("http://127.0.0.1:" + op.metricsPort + "/metrics");
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("operator_sdk_reconciliations_success_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private void awaitReconciles(ChildJvm op, double target) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (reconciles(op) < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reconciles stuck at " + reconciles(op) + " of " + target);
      }
      Thread.sleep(250);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Request counts, kept by the API server.

  private Map<String, Long> counts() throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : get(apiUrl + "/bench/counts").split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 4) {
        counts.put(f[0] + "\t" + f[1] + "\t" + f[2], Long.parseLong(f[3]));
      }
    }
    return counts;
  }

  private void resetCounts() throws Exception {
    http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/bench/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The operator's requests only, keyed "verb resource". */
  private static Map<String, Long> operatorCounts(Map<String, Long> all) {
    Map<String, Long> ours = new TreeMap<>();
    all.forEach((k, v) -> {
      String[] f = k.split("\t");
      if (f[0].equals("operator")) {
        ours.put(f[1] + " " + f[2], v);
      }
    });
    return ours;
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach((k, v) -> {
      long x = v - before.getOrDefault(k, 0L);
      if (x != 0) {
        d.put(k, x);
      }
    });
    return d;
  }

  /** Waits until the operator has sent no request for 1.5 s. */
  private void awaitQuiet() throws Exception {
    long last = -1;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      long total = operatorCounts(counts()).values().stream().mapToLong(Long::longValue).sum();
      if (total != last) {
        last = total;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 1_500_000_000L) {
        return;
      }
      Thread.sleep(100);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Key generation.

  private Map<Encoding, double[]> keygen() {
    KeyGenerator generator = new KeyGenerator();
    Map<Encoding, double[]> result = new LinkedHashMap<>();
    long sink = 0;
    for (int round = 0; round < 2; round++) {
      for (Encoding e : Encoding.values()) {
        sink += spin(generator, e, 1_000_000_000L);
      }
    }
    for (Encoding e : Encoding.values()) {
      List<Double> rounds = new ArrayList<>();
      for (int r = 0; r < 5; r++) {
        long t0 = System.nanoTime();
        int count = 0;
        while (System.nanoTime() - t0 < 400_000_000L) {
          for (int i = 0; i < 100; i++) {
            sink += generator.generate(e, 64).reveal().charAt(i & 31);
          }
          count += 100;
        }
        rounds.add(count / ((System.nanoTime() - t0) / 1e9));
      }
      rounds.sort(Double::compare);
      double kidsPerSecond = kidRate(generator, e);
      result.put(e, new double[] {rounds.get(2), rounds.get(0), rounds.get(4), kidsPerSecond});
      say(String.format(Locale.ROOT, "key generation %s: %.0f keys/s (min %.0f, max %.0f); with key id %.0f/s",
          e.value(), rounds.get(2), rounds.get(0), rounds.get(4), kidsPerSecond));
    }
    if (sink == 42) {
      say("");
    }
    return result;
  }

  /** Section 7: asymmetric key generation in this JVM and in one started with the chart's flags. */
  private String asymmetricKeygen() throws Exception {
    List<AsymmetricKeygen.Result> here = AsymmetricKeygen.measure();
    here.forEach(r -> say("asymmetric key generation (this JVM): " + r.row().substring(4)));
    String chart = chartJavaToolOptions().replaceAll("-XX:SharedArchiveFile=\\S+", "").trim().replaceAll("\\s+", " ");
    List<String> options = new ArrayList<>(List.of("-XX:MaxRAM=" + chartMemoryLimit()));
    options.addAll(List.of(chart.split(" ")));
    List<AsymmetricKeygen.Result> shipped = AsymmetricKeygen.measureIn(options);
    shipped.forEach(r -> say("asymmetric key generation (chart flags): " + r.row().substring(4)));
    return AsymmetricKeygen.markdown(here, "default JIT", shipped, "chart flags (" + String.join(" ", options) + ")");
  }

  private static long spin(KeyGenerator generator, Encoding e, long nanos) {
    long sink = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < nanos) {
      KeyValue k = generator.generate(e, 64);
      sink += KeyIds.of(k).charAt(0);
    }
    return sink;
  }

  private static double kidRate(KeyGenerator generator, Encoding e) {
    long t0 = System.nanoTime();
    int count = 0;
    long sink = 0;
    while (System.nanoTime() - t0 < 400_000_000L) {
      sink += KeyIds.of(generator.generate(e, 64)).charAt(0);
      count++;
    }
    return sink == 0 ? 0 : count / ((System.nanoTime() - t0) / 1e9);
  }

  // ------------------------------------------------------------------------------------------------
  // Objects.

  static String name(int i) {
    return String.format(Locale.ROOT, "jwt-%05d", i);
  }

  static JwtSecret manifest(String ns, int i) {
    return Serialization.unmarshal("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata:
          name: %s
          namespace: %s
        spec:
          environment: development
          token:
            accessTokenExpireMinutes: 1
          rotation:
            strategy: Staged
            propagationDelay: 0s
            gracePeriod: 1m
          restart:
            targets:
              - kind: Deployment
                name: %s
        """.formatted(name(i), ns, String.format(Locale.ROOT, "app-%05d", i)), JwtSecret.class);
  }

  static io.fabric8.kubernetes.api.model.apps.Deployment deployment(int i) {
    String app = String.format(Locale.ROOT, "app-%05d", i);
    return new DeploymentBuilder()
        .withNewMetadata().withName(app).withNamespace(NS).withLabels(Map.of("app", app, Labels.RESTARTABLE, "true")).endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(Map.of("app", app)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("photoapp:1")
        .addNewEnv().withName("JWT_SECRET_KEY").withNewValueFrom().withNewSecretKeyRef("jwt-secret-key", name(i), false)
        .endValueFrom().endEnv()
        .addNewEnv().withName("JWT_SECRET_KEY_NEXT").withNewValueFrom().withNewSecretKeyRef("jwt-secret-key-next", name(i), true)
        .endValueFrom().endEnv()
        .endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private static Secret unrelatedSecret(int i) {
    byte[] payload = new byte[1024];
    new java.util.Random(i).nextBytes(payload);
    return new SecretBuilder().withNewMetadata().withName(String.format(Locale.ROOT, "other-%05d", i)).withNamespace(NS)
        .withLabels(Map.of("app", "other")).endMetadata()
        .withType("Opaque").withData(Map.of("payload", Base64.getEncoder().encodeToString(payload))).build();
  }

  static CustomResourceDefinition crd() throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8/jwtsecrets.jwt.photoapp.io-v1.yml");
    Path file = Files.exists(generated) ? generated : Path.of("crds/jwtsecrets.jwt.photoapp.io-v1.yml");
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  /** Bytes of the JSON of the first JwtSecret and Secret in a namespace, as the server holds them. */
  private long[] sizeOf(String ns) {
    JwtSecret js = driver.resources(JwtSecret.class).inNamespace(ns).withName(name(0)).get();
    Secret s = driver.secrets().inNamespace(ns).withName(name(0)).get();
    return new long[] {js == null ? 0 : Serialization.asJson(js.getStatus()).length(), s == null ? 0 : Serialization.asJson(s).length()};
  }

  // ------------------------------------------------------------------------------------------------
  // Plumbing.

  private KubernetesClient client(String userAgent) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(apiUrl).withNamespace(NS).withUserAgent(userAgent)
        .withRequestTimeout(60_000).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Watches a namespace's JwtSecrets with a client of its own, so its requests are told apart. */
  private Tracker watch(String ns) {
    Tracker tracker = new Tracker();
    KubernetesClient watcher = client("bench-watch");
    watchers.add(watcher);
    SharedIndexInformer<JwtSecret> informer = watcher.resources(JwtSecret.class).inNamespace(ns).inform(tracker);
    informer.hasSynced();
    return tracker;
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
        """.formatted(apiUrl, NS));
    return file;
  }

  private String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs body(0..count-1) on THREADS threads and waits; the first failure is rethrown. */
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

  static long procStatusKiB(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  static void say(String text) {
    System.out.println(LocalDateTime.now().toLocalTime().truncatedTo(ChronoUnit.MILLIS) + "  " + text);
    System.out.flush();
  }

  private void shutdown() {
    pool.shutdownNow();
    if (driver != null) {
      driver.close();
    }
    if (floorClient != null) {
      floorClient.close();
    }
    watchers.forEach(KubernetesClient::close);
    if (server != null) {
      server.close();
    }
  }
}
