package io.photoapp.jwt.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the operator's OCI image archive on this machine, with no Docker engine and no registry
 * ({@code image/build.sh}, or {@code mvn -B -Pimage -DskipTests package}):
 * <ol>
 *   <li>a Java runtime {@code jlink}ed from Temurin 25 ({@link #DEFAULT_JDK}) with the modules the operator uses, at
 *       {@link #JAVA_HOME};</li>
 *   <li>the runtime jar (no demo or test server) at {@link #JAR};</li>
 *   <li>a CDS archive at {@link #CDS_ARCHIVE}, dumped statically from the classes a training run of {@code run}
 *       loaded, with that very runtime and jar, chrooted into the image's file tree, against an in-process API
 *       server holding the CRD and the examples: the archive the chart's javaToolOptions names ({@link TrainingRun});</li>
 *   <li>Jib writes the layers (from scratch: no shell, no package manager) and the OCI layout as one tar,
 *       with every file time at {@link #FILE_TIME} and the image's creation time at the epoch, so that the
 *       same inputs give the same digests.</li>
 * </ol>
 * The process runs as {@link #USER} (the chart's runAsUser); every file belongs to root, and nothing
 * in the image is writable by the user.
 */
public final class ImageBuilder {
  /** The JDK the image's Java runtime is linked from: Temurin 25, on every machine of this kind (the build itself stays --release 17). */
  static final String DEFAULT_JDK = "/usr/lib/jvm/temurin-25-jdk-amd64";
  static final String JAVA_HOME = "/opt/java";
  static final String JAVA = JAVA_HOME + "/bin/java";
  static final String JAR = "/app/jwt-secret-operator.jar";
  public static final String CDS_ARCHIVE = "/app/jwt-secret-operator.jsa";
  static final String USER = "65532:65532";
  /** The JDK's own CDS archive, which jlink --generate-cds-archive writes: used only where the operator's archive is not. */
  static final String BASE_CDS_ARCHIVE = JAVA_HOME.substring(1) + "/lib/server/classes.jsa";
  /** Jib's own default file time; the training run sees the same, so the archive's recorded jar time matches. */
  static final Instant FILE_TIME = Instant.ofEpochSecond(1);
  /**
   * What the operator uses of the JDK: its HTTP clients (java.net.http), the health server
   * (jdk.httpserver), JUL, JMX and the JVM metrics (java.management, jdk.management), XML (logback,
   * azure-xml), java.sql (Jackson's date types), sun.misc.Unsafe (jdk.unsupported), and what libraries
   * reach by reflection or as security providers: jdk.crypto.ec (EC keys and TLS's ECDHE), java.naming,
   * jdk.naming.dns, java.security.jgss, jdk.zipfs. jdeps cannot read the shaded multi-release jar (it
   * reports java.base alone); ImageIT runs the image, and the training run keys every example.
   */
  static final List<String> MODULES = List.of("java.base", "java.logging", "java.management", "java.naming", "java.net.http",
      "java.security.jgss", "java.sql", "java.xml", "jdk.crypto.ec", "jdk.httpserver", "jdk.management", "jdk.naming.dns",
      "jdk.unsupported", "jdk.zipfs");

  private final Path jdk;
  private final Path runtimeJar;
  private final Path work;
  private final Path output;
  private final String imageName;
  private final String javaToolOptions;
  private final Path projectDir;

  ImageBuilder(Path jdk, Path runtimeJar, Path work, Path output, String imageName, String javaToolOptions, Path projectDir) {
    this.jdk = jdk;
    this.runtimeJar = runtimeJar;
    this.work = work;
    this.output = output;
    this.imageName = imageName;
    this.javaToolOptions = javaToolOptions;
    this.projectDir = projectDir;
  }

  public static void main(String[] args) throws Exception {
    Path project = Path.of(System.getProperty("image.projectDir", ".")).toAbsolutePath();
    Path target = project.resolve("target");
    ImageBuilder builder = new ImageBuilder(
        Path.of(System.getProperty("image.jdk", DEFAULT_JDK)),
        target.resolve("jwt-secret-operator-runtime.jar"),
        target.resolve("image"),
        target.resolve("jwt-secret-operator-image.tar"),
        System.getProperty("image.name", "ghcr.io/photoapp/jwt-secret-operator:latest"),
        ChartValues.javaToolOptions(project),
        project);
    builder.build();
    System.exit(0);
  }

  void build() throws Exception {
    long t0 = System.nanoTime();
    if (!Files.isRegularFile(runtimeJar)) {
      throw new IllegalStateException(runtimeJar + " is missing: build it with mvn package first");
    }
    Path rootfs = work.resolve("rootfs");
    deleteTree(work);
    Files.createDirectories(rootfs);
    Path javaHome = rootfs.resolve(JAVA_HOME.substring(1));
    jlink(javaHome);
    materializeLinks(rootfs);
    // The JDK's CDS archive for heaps over 32 GiB (no compressed oops): never used under the chart's limits.
    Files.deleteIfExists(rootfs.resolve(JAVA_HOME.substring(1) + "/lib/server/classes_nocoops.jsa"));
    copySharedLibraries(javaHome, rootfs);
    Path app = Files.createDirectories(rootfs.resolve("app"));
    Files.copy(runtimeJar, app.resolve("jwt-secret-operator.jar"));
    Path etc = Files.createDirectories(rootfs.resolve("etc"));
    // Names for the one user, as distroless images have them (the JVM and tools read user.name from here).
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nnonroot:x:65532:\n");
    Files.writeString(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
    for (String dir : List.of("tmp", "proc", "dev", "sys")) {
      // Mount points, empty: a container runtime mounts a tmpfs (the chart: an emptyDir), proc, the device nodes, sysfs.
      Files.createDirectories(rootfs.resolve(dir));
    }
    Files.createDirectories(rootfs.resolve("home/nonroot"));
    setFileTimes(rootfs);
    Files.createDirectories(work.resolve("training"));
    new TrainingRun(rootfs, projectDir, javaToolOptions, work.resolve("training")).record(CDS_ARCHIVE);
    // The training's own files (its kubeconfig, the JVM's perf data) do not go into the image.
    try (Stream<Path> left = Files.list(rootfs.resolve("tmp"))) {
      for (Path p : left.toList()) {
        deleteTree(p);
      }
    }
    setFileTimes(rootfs);
    containerize(rootfs);
    System.out.printf(Locale.ROOT, "image %s: %s, %d MiB, built in %.1f s%n", imageName, output, Files.size(output) >> 20,
        (System.nanoTime() - t0) / 1e9);
  }

  private void jlink(Path javaHome) throws Exception {
    Path jlink = jdk.resolve("bin/jlink");
    if (!Files.isExecutable(jlink)) {
      // Temurin 25 links from its own run-time image (JEP 493): no jmods needed.
      throw new IllegalStateException(jdk + " has no jlink (the image's Java is Temurin 25 at " + DEFAULT_JDK + ", or -Dimage.jdk=...)");
    }
    run(work.resolve("jlink.log"), Duration.ofMinutes(5), jlink.toString(), "--add-modules", String.join(",", MODULES),
        "--strip-debug", "--no-man-pages", "--no-header-files", "--generate-cds-archive", "--output", javaHome.toString());
  }

  /** jlink links a module's legal files to java.base's; the image holds files only (copies). */
  static void materializeLinks(Path root) throws IOException {
    List<Path> links;
    try (Stream<Path> walk = Files.walk(root)) {
      links = walk.filter(Files::isSymbolicLink).toList();
    }
    for (Path link : links) {
      Path target = link.toRealPath();
      Files.delete(link);
      Files.copy(target, link);
    }
  }

  /**
   * The C libraries the Java runtime's programs and libraries link (glibc, libstdc++, libgcc, zlib)
   * and the dynamic loader, from this machine, at the paths they have here: "scratch" has none.
   */
  static void copySharedLibraries(Path javaHome, Path rootfs) throws Exception {
    List<Path> elf;
    try (Stream<Path> walk = Files.walk(javaHome)) {
      elf = walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".so") || p.getParent().getFileName().toString().equals("bin")).toList();
    }
    java.util.TreeSet<String> libraries = new java.util.TreeSet<>();
    for (Path file : elf) {
      Process ldd = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
      String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ldd.waitFor();
      for (String line : out.split("\n")) {
        String[] f = line.trim().split("\\s+");
        String path = f.length >= 3 && f[1].equals("=>") ? f[2] : f.length >= 1 && f[0].startsWith("/") ? f[0] : null;
        if (path != null && path.startsWith("/") && !path.startsWith(rootfs.toAbsolutePath().toString())) {
          libraries.add(path);
        }
      }
    }
    if (libraries.stream().noneMatch(l -> l.contains("/ld-linux"))) {
      throw new IllegalStateException("ldd named no dynamic loader for " + javaHome + "/bin/java: " + libraries);
    }
    for (String library : libraries) {
      Path to = rootfs.resolve(library.substring(1));
      Files.createDirectories(to.getParent());
      Files.copy(Path.of(library), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("C libraries from this machine: " + libraries);
  }

  private void containerize(Path rootfs) throws Exception {
    JibContainerBuilder image = Jib.fromScratch()
        .setFormat(ImageFormat.OCI)
        .setCreationTime(Instant.EPOCH)
        // Layers, least changing first: the C libraries and files around Java, the Java runtime, the application.
        .addFileEntriesLayer(layer("base", rootfs, topLevelExcept(rootfs, "opt", "app"), List.of()))
        .addFileEntriesLayer(layer("java-runtime", rootfs, List.of("opt"), List.of(BASE_CDS_ARCHIVE)))
        .addFileEntriesLayer(layer("application", rootfs, List.of(JAR.substring(1)), List.of()))
        // Last, on their own: the CDS archives, the one layer that depends on a training run (TrainingRun: a static dump of
        // the classes it loaded, the same byte for byte as long as it loads the same classes).
        .addFileEntriesLayer(layer("cds", rootfs, List.of(BASE_CDS_ARCHIVE, CDS_ARCHIVE.substring(1)), List.of()))
        .setUser(USER)
        .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
        .setEntrypoint(JAVA, "-jar", JAR)
        .setProgramArguments("run")
        .setEnvironment(Map.of("JAVA_TOOL_OPTIONS", javaToolOptions, "MALLOC_ARENA_MAX", "2",
            "GLIBC_TUNABLES", "glibc.pthread.stack_cache_size=0", "PATH", JAVA_HOME + "/bin"))
        .addExposedPort(Port.tcp(8080))
        .addLabel("org.opencontainers.image.title", "jwt-secret-operator")
        .addLabel("org.opencontainers.image.description", "Generates, rotates and rolls out JWT signing keys in Kubernetes")
        .addLabel("org.opencontainers.image.source", "https://github.com/photoapp/jwt-secret-operator");
    Files.deleteIfExists(output);
    image.containerize(Containerizer.to(TarImage.at(output).named(imageName))
        .setOfflineMode(true)
        .setToolName("jwt-secret-operator-image-builder")
        .setBaseImageLayersCache(work.resolve("jib-cache/base"))
        .setApplicationLayersCache(work.resolve("jib-cache/application")));
  }

  static List<String> topLevelExcept(Path rootfs, String... others) throws IOException {
    try (Stream<Path> top = Files.list(rootfs)) {
      return top.map(p -> p.getFileName().toString()).filter(n -> !List.of(others).contains(n)).sorted().toList();
    }
  }

  /** The files under {@code dirs} of the tree but those in {@code except}, as they are: permissions from the file, owner root, time {@link #FILE_TIME}. */
  static FileEntriesLayer layer(String name, Path rootfs, List<String> dirs, List<String> except) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    for (String dir : dirs) {
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(rootfs.resolve(dir))) {
        paths = walk.sorted().toList();
      }
      for (Path p : paths) {
        if (Files.isSymbolicLink(p)) {
          throw new IllegalStateException("a symbolic link in the image tree: " + p);
        }
        String inImage = "/" + rootfs.relativize(p).toString().replace('\\', '/');
        if (except.contains(inImage.substring(1))) {
          continue;
        }
        FilePermissions mode = FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        if (inImage.equals("/tmp")) {
          mode = FilePermissions.fromOctalString("777");
        }
        layer.addEntry(p, AbsoluteUnixPath.get(inImage), mode, FILE_TIME);
      }
    }
    return layer.build();
  }

  static void setFileTimes(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(FILE_TIME));
      }
    }
  }

  static void run(Path log, Duration timeout, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command[0] + " did not finish in " + timeout + "; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    }
    for (Path p : paths) {
      try {
        Files.delete(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
