package io.photoapp.jwt.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image archive {@code -Pimage} builds (target/jwt-secret-operator-image.tar), opened as a
 * registry or a container runtime would: an OCI layout whose digests hold, non-root, no shell,
 * fixed file times, the runtime jar; and its entrypoint run as the chart runs it (uid 65532, the
 * chart's args, env, JVM options and memory limit, a read-only root with a tmpfs at /tmp) against
 * an API server in this JVM, until /readyz answers 200 and a JwtSecret gets its key.
 * Needs root (mount and chroot), as CI has; {@code image/test.sh} runs it.
 */
class ImageIT {
  static final Path ARCHIVE = Path.of("target/jwt-secret-operator-image.tar");
  static final Path FIGURES = Path.of("target/image-figures.md");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static Path layout;
  static Path rootfs;
  static JsonNode manifest;
  static JsonNode config;
  static List<Path> layers = new ArrayList<>();
  static Container chart;

  @BeforeAll
  static void unpack() throws Exception {
    assertTrue(Files.isRegularFile(ARCHIVE), ARCHIVE + " (built by mvn -Pimage)");
    layout = Files.createDirectories(dir.resolve("layout"));
    ImageBuilder.run(dir.resolve("untar.log"), Duration.ofMinutes(2), "tar", "-xf", ARCHIVE.toString(), "-C", layout.toString());
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertEquals(1, index.get("manifests").size(), index.toString());
    manifest = JSON.readTree(blob(index.get("manifests").get(0).get("digest").asText()).toFile());
    config = JSON.readTree(blob(manifest.get("config").get("digest").asText()).toFile());
    rootfs = Files.createDirectories(dir.resolve("rootfs"));
    for (JsonNode layer : manifest.get("layers")) {
      assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.get("mediaType").asText());
      Path file = blob(layer.get("digest").asText());
      layers.add(file);
      // As root, tar keeps the layer's owners (root) and modes, as a container runtime does.
      ImageBuilder.run(dir.resolve("layer.log"), Duration.ofMinutes(2), "tar", "--numeric-owner", "-xzpf", file.toString(), "-C",
          rootfs.toString());
    }
    chart = chartContainer();
  }

  static Path blob(String digest) {
    assertTrue(digest.startsWith("sha256:"), digest);
    return layout.resolve("blobs/sha256").resolve(digest.substring(7));
  }

  /** The operator's container as the chart renders it with its default values. */
  static Container chartContainer() throws IOException {
    String yaml = new Helm(Path.of("helm/jwt-secret-operator")).template().withName("jwt-secret-operator")
        .withNamespace(ImageApiServer.OPERATOR_NAMESPACE).call();
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      HasMetadata object = serialization.unmarshal(doc);
      if (object instanceof Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
      }
    }
    throw new AssertionError("the chart renders no Deployment");
  }

  @Test
  void theArchiveIsAnOciLayoutWhoseDigestsHold() throws Exception {
    assertEquals("1.0.0", JSON.readTree(layout.resolve("oci-layout").toFile()).get("imageLayoutVersion").asText());
    try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path b : blobs.toList()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(b)) {
          in.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), sha));
        }
        assertEquals(b.getFileName().toString(), HexFormat.of().formatHex(sha.digest()), "the blob's name is its digest");
      }
    }
    assertEquals("amd64", config.get("architecture").asText());
    assertEquals("linux", config.get("os").asText());
    assertEquals(manifest.get("layers").size(), config.get("rootfs").get("diff_ids").size());
  }

  @Test
  void theImageRunsAsNonRootWithNoShellAndNothingItCanChange() throws IOException {
    assertEquals("65532:65532", config.get("config").get("User").asText());
    for (String shell : List.of("bin/sh", "bin/bash", "bin/busybox", "usr/bin/sh", "usr/bin/env")) {
      assertFalse(Files.exists(rootfs.resolve(shell)), "no shell or tool in the image: " + shell);
    }
    List<String> writable = new ArrayList<>();
    try (Stream<Path> all = Files.walk(rootfs)) {
      for (Path p : all.toList()) {
        Object uid = Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String inImage = "/" + rootfs.relativize(p);
        assertEquals(0, uid, inImage + " belongs to root");
        if ((mode & 0002) != 0 && !inImage.equals("/tmp")) {
          writable.add(inImage);
        }
      }
    }
    assertEquals(List.of(), writable, "files any user may change");
  }

  @Test
  void everyFileHasTheFixedTimeAndTheImageTheEpoch() throws IOException {
    assertEquals("1970-01-01T00:00:00Z", config.get("created").asText());
    for (Path layer : layers) {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(layer)))) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          assertEquals(ImageBuilder.FILE_TIME, e.getModTime().toInstant(), e.getName());
          assertEquals(0L, e.getLongUserId(), e.getName());
        }
      }
    }
  }

  @Test
  void theImageHoldsTheRuntimeJarAndTheArchiveTheChartNames() throws IOException {
    JsonNode c = config.get("config");
    assertEquals(List.of(ImageBuilder.JAVA, "-jar", ImageBuilder.JAR), strings(c.get("Entrypoint")));
    assertEquals(List.of("run"), strings(c.get("Cmd")));
    String chartOptions = env(chart).get("JAVA_TOOL_OPTIONS");
    assertTrue(strings(c.get("Env")).contains("JAVA_TOOL_OPTIONS=" + chartOptions), "the image's JVM options are the chart's");
    java.util.regex.Matcher archive = java.util.regex.Pattern.compile("-XX:SharedArchiveFile=(\\S+)").matcher(chartOptions);
    assertTrue(archive.find(), chartOptions);
    assertTrue(Files.size(rootfs.resolve(archive.group(1).substring(1))) > 0, "the image holds the archive the chart names");
    try (JarFile jar = new JarFile(rootfs.resolve(ImageBuilder.JAR.substring(1)).toFile())) {
      List<String> flagged = jar.stream().map(java.util.zip.ZipEntry::getName)
          .filter(n -> RuntimeJarIT.TEST_SERVER_PACKAGES.stream().anyMatch(n::startsWith)).limit(10).toList();
      assertEquals(List.of(), flagged, "test or demo server classes in the image");
    }
  }

  @Test
  void theEntrypointAsTheChartRunsItIsReadyAndKeysAJwtSecret() throws Exception {
    long uid = chart.getSecurityContext().getRunAsUser();
    long gid = chart.getSecurityContext().getRunAsGroup();
    assertTrue(chart.getSecurityContext().getReadOnlyRootFilesystem());
    long limit = new Quantity(chart.getResources().getLimits().get("memory").toString()).getNumericalAmount()
        .divide(BigDecimal.valueOf(1 << 20)).longValueExact();
    Map<String, String> env = new LinkedHashMap<>();
    // The image's environment, then the chart's (Kubernetes puts the container's env over the image's).
    for (String kv : strings(config.get("config").get("Env"))) {
      env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    env.putAll(env(chart));
    // The pod's memory limit: a memory cgroup the JVM sees and the kernel enforces; where this machine has no
    // writable one, the limit as -XX:MaxRAM (what the JVM would take from its cgroup).
    MemoryCgroup cgroup = MemoryCgroup.create("image-it-" + ProcessHandle.current().pid(), limit << 20).orElse(null);
    String limitHow;
    if (cgroup != null) {
      limitHow = "a memory cgroup";
      try {
        assertJvmSeesTheLimit(cgroup, uid + ":" + gid, env, limit);
      } catch (Exception | AssertionError e) {
        cgroup.close();
        throw e;
      }
    } else {
      limitHow = "-XX:MaxRAM (no writable memory cgroup here)";
      env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAM=" + limit + "m");
    }
    int port = TrainingRun.freePort();
    env.put("JWT_OPERATOR_METRICS_PORT", Integer.toString(port)); // the chart's 8080 may be taken on this machine
    env.put("KUBECONFIG", "/tmp/kubeconfig");
    List<String> command = new ArrayList<>(strings(config.get("config").get("Entrypoint")));
    command.addAll(chart.getArgs());
    Path log = dir.resolve("operator.log");

    try (ImageApiServer api = new ImageApiServer(Path.of("."))) {
      long start = System.nanoTime();
      Process operator = Rootfs.start(rootfs, true, cgroup, uid + ":" + gid, api.writeKubeconfig(dir.resolve("kubeconfig")), env,
          command, log);
      try {
        long ready = Probes.awaitReady(operator, port, Duration.ofMinutes(2), log);
        long pid = operator.pid();
        Map<String, String> status = procStatus(pid);
        assertEquals(List.of(uid, uid, uid, uid), ids(status.get("Uid")), "runs as the chart's user:\n" + status);
        assertEquals(List.of(gid, gid, gid, gid), ids(status.get("Gid")));
        assertTrue(List.of("", Long.toString(gid)).contains(status.getOrDefault("Groups", "").trim()), status.get("Groups"));
        assertEquals("0000000000000000", status.get("CapEff").trim(), "no capabilities");
        String rootMount = Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
            .filter(l -> l.split(" ")[4].equals("/")).findFirst().orElseThrow();
        assertTrue(List.of(rootMount.split(" ")[5].split(",")).contains("ro"), "a read-only root: " + rootMount);
        String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
        assertTrue(maps.contains(ImageBuilder.CDS_ARCHIVE.substring(ImageBuilder.CDS_ARCHIVE.lastIndexOf('/') + 1)),
            "the JVM maps the image's AppCDS archive (it matches the jar):\n" + Probes.tail(log));
        long rssAtReady = kib(procStatus(pid).get("VmRSS"));

        // It works, not only answers: a JwtSecret gets its key and Secret from the operator in the image.
        api.client.resource(JwtSecrets.named("image-check").in("photoapp").production().build()).create();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!api.allKeyed(List.of("image-check"))) {
          assertTrue(System.nanoTime() < deadline && operator.isAlive(), "the JwtSecret was not keyed:\n" + Probes.tail(log));
          Thread.sleep(100);
        }
        assertNotNull(api.client.secrets().inNamespace(ImageApiServer.APP_NAMESPACE).withName("image-check").get());
        Probes.get(port, "/metrics");
        Thread.sleep(5000);
        long rssSettled = kib(procStatus(pid).get("VmRSS"));
        String figures = String.format(Locale.ROOT, """
            | image archive | uncompressed root | start → /readyz 200 | VmRSS at ready | VmRSS after keying a JwtSecret |
            |---|---|---|---|---|
            | %d MiB | %d MiB | %.2f s | %d MiB | %d MiB |

            JVM options: `%s`; memory limit %d MiB (%s); uid %d, read-only root; %d CPUs, load average %s.
            """, Files.size(ARCHIVE) >> 20, du(rootfs) >> 20, (ready - start) / 1e9, rssAtReady >> 10, rssSettled >> 10,
            env.get("JAVA_TOOL_OPTIONS"), limit, limitHow, uid, Runtime.getRuntime().availableProcessors(),
            Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        Files.writeString(FIGURES, figures);
        System.out.println(figures);
      } finally {
        operator.destroy();
        if (!operator.waitFor(1, TimeUnit.MINUTES)) {
          operator.destroyForcibly();
        }
      }
      // SIGTERM: the operator stops cleanly, as a pod does (143 is the JVM's exit after SIGTERM).
      assertTrue(List.of(0, 143).contains(operator.exitValue()), "exit " + operator.exitValue() + ":\n" + Probes.tail(log));
    } finally {
      if (cgroup != null) {
        cgroup.close();
      }
    }
  }

  /** The image's java, in the cgroup as the operator will be, reports the pod's limit and sizes its heap from it. */
  static void assertJvmSeesTheLimit(MemoryCgroup cgroup, String user, Map<String, String> env, long limitMib) throws Exception {
    Path log = dir.resolve("jvm-settings.log");
    Process jvm = Rootfs.start(rootfs, true, cgroup, user, Files.writeString(dir.resolve("empty-kubeconfig"), ""), env,
        List.of(ImageBuilder.JAVA, "-XshowSettings:system", "-XX:+PrintFlagsFinal", "-version"), log);
    assertTrue(jvm.waitFor(2, TimeUnit.MINUTES));
    String out = Files.readString(log);
    assertEquals(0, jvm.exitValue(), out);
    assertTrue(out.contains("Memory Limit: " + limitMib + ".00M"), "the JVM sees the cgroup's limit:\n" + out);
    java.util.regex.Matcher heap = java.util.regex.Pattern.compile("size_t MaxHeapSize\\s+=\\s+(\\d+)").matcher(out);
    assertTrue(heap.find(), out);
    assertEquals((limitMib << 20) / 2, Long.parseLong(heap.group(1)), "MaxRAMPercentage=50 of the limit");
  }

  static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : container.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(e.getName(), ImageApiServer.OPERATOR_NAMESPACE);
      }
    }
    return env;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static Map<String, String> procStatus(long pid) throws IOException {
    Map<String, String> status = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      int colon = line.indexOf(':');
      status.put(line.substring(0, colon), line.substring(colon + 1).trim());
    }
    return status;
  }

  static List<Long> ids(String line) {
    return Stream.of(line.trim().split("\\s+")).map(Long::valueOf).toList();
  }

  static long kib(String vmRss) {
    return Long.parseLong(vmRss.replace("kB", "").trim());
  }

  static long du(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
