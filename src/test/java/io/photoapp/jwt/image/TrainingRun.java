package io.photoapp.jwt.image;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records the image's AppCDS archive: the operator runs from the image's own tree (its jlinked
 * Java, its jar, at their paths and file times), chrooted, against an in-process API server holding
 * the CRD and the examples, until it is ready and has keyed every example and served /metrics; at
 * its exit (SIGTERM, as a pod stops) the JVM writes the classes it loaded to the archive.
 */
final class TrainingRun {
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
    if (!javaToolOptions.contains("-XX:SharedArchiveFile=" + archiveInImage)) {
      throw new IllegalStateException("the chart's javaToolOptions do not name the archive the image holds (" + archiveInImage
          + "): " + javaToolOptions);
    }
    // The chart's options, without the archive it is about to write.
    String options = (javaToolOptions.replace("-XX:SharedArchiveFile=" + archiveInImage, "") + " -XX:ArchiveClassesAtExit="
        + archiveInImage).trim().replaceAll("\\s+", " ");
    Path log = work.resolve("training.log");
    long t0 = System.nanoTime();
    try (ImageApiServer api = new ImageApiServer(project)) {
      List<String> names = api.applyExamples(project);
      int port = freePort();
      Process operator = Rootfs.start(rootfs, false, "root", api.writeKubeconfig(work.resolve("kubeconfig")),
          Map.of("JAVA_TOOL_OPTIONS", options, "PATH", ImageBuilder.JAVA_HOME + "/bin", "KUBECONFIG", "/tmp/kubeconfig",
              "JWT_OPERATOR_METRICS_PORT", Integer.toString(port), "JWT_OPERATOR_LEASE_NAMESPACE", ImageApiServer.OPERATOR_NAMESPACE),
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
    Path archive = rootfs.resolve(archiveInImage.substring(1));
    if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
      throw new IllegalStateException("the training run wrote no AppCDS archive at " + archiveInImage + "; see " + log);
    }
    System.out.printf(java.util.Locale.ROOT, "AppCDS archive %s recorded in %.1f s: %d MiB%n", archiveInImage,
        (System.nanoTime() - t0) / 1e9, Files.size(archive) >> 20);
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
