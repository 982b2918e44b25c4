package io.photoapp.jwt.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.photoapp.jwt.node.app.PhotoApp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The node tier's images, built here with no registry and no Docker engine (jib-core, as the operator's):
 * <ul>
 *   <li>the pause image, from the {@code pause} binary e2e/node/build-node.sh compiles from the Kubernetes source;</li>
 *   <li>the photo app stand-in ({@link PhotoApp}): the Java runtime of the operator's own image
 *       ({@code target/jwt-secret-operator-image.tar}, whatever image/build.sh put in it) with the
 *       app's classes and nimbus-jose-jwt, run as the operator runs: uid 65532, no shell.</li>
 * </ul>
 */
final class NodeImages {
  static final String APP_JAR = "/app/photo-app.jar";
  static final String NIMBUS_JAR = "/app/lib/nimbus-jose-jwt.jar";
  private static final Instant FILE_TIME = Instant.ofEpochSecond(1);

  private NodeImages() {}

  /** By hand: {@code NodeImages OUTPUT_DIR PAUSE_BINARY}: OUTPUT_DIR/pause.tar and OUTPUT_DIR/photo-app.tar. */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    pause(Path.of(args[1]), NodeCluster.PAUSE_IMAGE, out.resolve("pause.tar"));
    photoApp(Path.of("target/jwt-secret-operator-image.tar"), Path.of("target/test-classes"), nimbusJar(), NodeCluster.APP_IMAGE,
        out.resolve("photo-app-work"), out.resolve("photo-app.tar"));
  }

  /** nimbus-jose-jwt's jar, from this JVM's class path. */
  static Path nimbusJar() throws Exception {
    return Path.of(com.nimbusds.jose.JWSObject.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** An image whose only file is {@code /pause}, its entrypoint. */
  static void pause(Path pauseBinary, String name, Path output) throws Exception {
    FileEntriesLayer layer = FileEntriesLayer.builder().setName("pause")
        .addEntry(pauseBinary, AbsoluteUnixPath.get("/pause"), FilePermissions.fromOctalString("755"), FILE_TIME).build();
    containerize(Jib.fromScratch().setFormat(ImageFormat.OCI).setCreationTime(Instant.EPOCH).addFileEntriesLayer(layer)
        .setUser("65535:65535").setEntrypoint("/pause"), name, output);
  }

  /**
   * The photo app on the operator image's Java runtime: every layer of that image unpacked, its
   * {@code /app} replaced by the app's jar and nimbus-jose-jwt's.
   */
  static void photoApp(Path operatorImage, Path testClasses, Path nimbusJar, String name, Path work, Path output) throws Exception {
    deleteTree(work);
    Path oci = Files.createDirectories(work.resolve("oci"));
    Path rootfs = Files.createDirectories(work.resolve("rootfs"));
    run("tar", "-xf", operatorImage.toString(), "-C", oci.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(oci.resolve("index.json").toFile());
    JsonNode manifest = json.readTree(blob(oci, index.path("manifests").path(0).path("digest").asText()).toFile());
    JsonNode config = json.readTree(blob(oci, manifest.path("config").path("digest").asText()).toFile());
    for (JsonNode layer : manifest.path("layers")) {
      run("tar", "-xzf", blob(oci, layer.path("digest").asText()).toString(), "-C", rootfs.toString());
    }
    String java = config.path("config").path("Entrypoint").path(0).asText();
    if (!java.startsWith("/") || !Files.isRegularFile(rootfs.resolve(java.substring(1)))) {
      throw new IllegalStateException("the operator image's entrypoint " + java + " is not a file of the image");
    }
    deleteTree(rootfs.resolve("app"));
    Files.createDirectories(rootfs.resolve("app/lib"));
    appJar(testClasses, rootfs.resolve(APP_JAR.substring(1)));
    Files.copy(nimbusJar, rootfs.resolve(NIMBUS_JAR.substring(1)));
    List<String> top;
    try (Stream<Path> s = Files.list(rootfs)) {
      top = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("app")).sorted().toList();
    }
    containerize(Jib.fromScratch().setFormat(ImageFormat.OCI).setCreationTime(Instant.EPOCH)
        .addFileEntriesLayer(layer("runtime", rootfs, top))
        .addFileEntriesLayer(layer("application", rootfs, List.of("app")))
        .setUser("65532:65532")
        .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
        // A small service: C1 only, a small heap, no perf data file (the root file system is read-only).
        .setEntrypoint(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx48m", "-Xss512k", "-XX:-UsePerfData",
            "-cp", APP_JAR + ":" + NIMBUS_JAR, PhotoApp.class.getName()), name, output);
    deleteTree(work);
  }

  private static Path blob(Path oci, String digest) {
    return oci.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  /** The app's classes (package {@code io.photoapp.jwt.node.app}) as a jar. */
  static void appJar(Path testClasses, Path jar) throws IOException {
    Path pkg = testClasses.resolve(PhotoApp.class.getPackageName().replace('.', '/'));
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PhotoApp.class.getName());
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, mf);
         Stream<Path> classes = Files.list(pkg)) {
      for (Path c : classes.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        JarEntry entry = new JarEntry(testClasses.relativize(c).toString().replace('\\', '/'));
        entry.setTime(FILE_TIME.toEpochMilli());
        jarOut.putNextEntry(entry);
        jarOut.write(Files.readAllBytes(c));
        jarOut.closeEntry();
      }
    }
  }

  private static FileEntriesLayer layer(String name, Path rootfs, List<String> dirs) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    for (String dir : dirs) {
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(rootfs.resolve(dir))) {
        paths = walk.sorted().toList();
      }
      for (Path p : paths) {
        if (Files.isSymbolicLink(p)) {
          continue; // the operator image holds none; a link could point outside the tree
        }
        String inImage = "/" + rootfs.relativize(p).toString().replace('\\', '/');
        FilePermissions mode = inImage.equals("/tmp") ? FilePermissions.fromOctalString("777")
            : FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        layer.addEntry(p, AbsoluteUnixPath.get(inImage), mode, FILE_TIME);
      }
    }
    return layer.build();
  }

  private static void containerize(com.google.cloud.tools.jib.api.JibContainerBuilder image, String name, Path output) throws Exception {
    Files.createDirectories(output.getParent());
    Files.deleteIfExists(output);
    Path cache = output.getParent().resolve("jib-cache");
    image.containerize(Containerizer.to(TarImage.at(output).named(name)).setOfflineMode(true)
        .setToolName("jwt-secret-operator-node-tier")
        .setBaseImageLayersCache(cache.resolve("base")).setApplicationLayersCache(cache.resolve("application")));
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
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
      Files.delete(p);
    }
  }
}
