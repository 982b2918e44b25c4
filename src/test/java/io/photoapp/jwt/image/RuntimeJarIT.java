package io.photoapp.jwt.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The two jars {@code mvn package} builds (run by failsafe after package, in {@code mvn verify}):
 * the runtime jar the image runs holds no test or demo server, the demo jar keeps the README's
 * first command working, and each carries one version of each library family.
 */
class RuntimeJarIT {
  static final Path DEMO_JAR = Path.of("target/jwt-secret-operator.jar");
  static final Path RUNTIME_JAR = Path.of("target/jwt-secret-operator-runtime.jar");
  /** What a scanner flags in a production image: an HTTP/TLS test server and the network stack it brings. */
  static final List<String> TEST_SERVER_PACKAGES = List.of("io/fabric8/mockwebserver/", "io/fabric8/kubernetes/client/server/mock/",
      "io/vertx/", "io/netty/", "okhttp3/mockwebserver/", "org/bouncycastle/", "io/photoapp/jwt/demo/");
  /** Groups whose artifacts are versioned one by one (the Azure SDK's BOM pins each). */
  static final Set<String> INDEPENDENTLY_VERSIONED = Set.of("com.azure", "com.microsoft.azure");

  @Test
  void theRuntimeJarHoldsNoTestOrDemoServer() throws IOException {
    List<String> entries = entries(RUNTIME_JAR);
    List<String> flagged = entries.stream().filter(e -> TEST_SERVER_PACKAGES.stream().anyMatch(e::startsWith)).toList();
    assertEquals(List.of(), flagged.stream().limit(20).toList(), "test or demo server classes in " + RUNTIME_JAR);
    assertTrue(entries.contains("io/photoapp/jwt/cli/Main.class"));
    assertTrue(entries.contains("io/photoapp/jwt/runtime/OperatorRuntime.class"));
    assertTrue(entries.contains("io/fabric8/kubernetes/client/jdkhttp/JdkHttpClientFactory.class"), "the operator's HTTP client");
    try (JarFile jar = new JarFile(RUNTIME_JAR.toFile())) {
      assertEquals("io.photoapp.jwt.cli.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  void neitherJarHoldsTheTestsOrTheBenchmark() throws IOException {
    // Every build compiles src/bench beside the tests (target/bench-classes); none of it may ship.
    for (Path jar : List.of(RUNTIME_JAR, DEMO_JAR)) {
      List<String> entries = entries(jar);
      assertEquals(List.of(), entries.stream().filter(e -> e.startsWith("io/photoapp/jwt/bench/")
          || e.startsWith("io/photoapp/jwt/testing/")).limit(20).toList(), "bench or test classes in " + jar);
    }
  }

  @Test
  void theDemoJarKeepsTheEmbeddedApiServer() throws IOException {
    List<String> entries = entries(DEMO_JAR);
    assertTrue(entries.contains("io/photoapp/jwt/demo/EmbeddedApiServer.class"));
    assertTrue(entries.contains("io/fabric8/kubernetes/client/server/mock/KubernetesMockServer.class"));
    assertTrue(entries.stream().anyMatch(e -> e.startsWith("io/vertx/core/")), "the mock server runs on vert.x");
  }

  @Test
  void demoFromTheRuntimeJarSaysWhereTheDemoIs() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        RUNTIME_JAR.toString(), "demo", "--duration", "1s").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("error: demo is not in this build") && out.contains("target/jwt-secret-operator.jar"), out);
  }

  @Test
  void oneJacksonInEachJarTheBomsVersion() throws IOException {
    String bom = System.getProperty("jackson.version", "");
    assertTrue(bom.matches("2\\.\\d+\\.\\d+"), "failsafe passes -Djackson.version from the pom: " + bom);
    String majorMinor = bom.substring(0, bom.lastIndexOf('.'));
    for (Path jar : List.of(RUNTIME_JAR, DEMO_JAR)) {
      Map<String, String> jackson = new TreeMap<>();
      artifacts(jar).forEach((ga, version) -> {
        if (ga.startsWith("com.fasterxml.jackson")) {
          jackson.put(ga, version);
        }
      });
      assertTrue(jackson.containsKey("com.fasterxml.jackson.core:jackson-databind"), jar + ": " + jackson);
      jackson.forEach((ga, version) -> assertTrue(version.equals(bom)
              // Jackson releases jackson-annotations as major.minor only from 2.20 on; the BOM names that one.
              || (ga.equals("com.fasterxml.jackson.core:jackson-annotations") && version.equals(majorMinor)),
          jar + ": " + ga + " " + version + " is not the BOM's " + bom + " (" + jackson + ")"));
    }
  }

  @Test
  void oneVersionOfEachLibraryFamily() throws IOException {
    for (Path jar : List.of(RUNTIME_JAR, DEMO_JAR)) {
      Map<String, Set<String>> versionsByGroup = new TreeMap<>();
      artifacts(jar).forEach((ga, version) -> {
        String group = ga.substring(0, ga.indexOf(':'));
        if (!INDEPENDENTLY_VERSIONED.contains(group) && !ga.equals("com.fasterxml.jackson.core:jackson-annotations")) {
          versionsByGroup.computeIfAbsent(group.startsWith("com.fasterxml.jackson") ? "com.fasterxml.jackson*" : group,
              g -> new TreeSet<>()).add(version);
        }
      });
      assertTrue(versionsByGroup.containsKey("io.fabric8"), jar + ": " + versionsByGroup);
      var mixed = versionsByGroup.entrySet().stream().filter(e -> e.getValue().size() > 1).toList();
      assertEquals(List.of(), mixed, jar + ": a library family in more than one version");
    }
  }

  static List<String> entries(Path jar) throws IOException {
    assertTrue(Files.isRegularFile(jar), jar + " (built by mvn package)");
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = new ArrayList<>();
      file.stream().forEach(e -> names.add(e.getName()));
      return names;
    }
  }

  /** groupId:artifactId → version, from each shaded library's META-INF/maven/&#42;&#42;/pom.properties. */
  static Map<String, String> artifacts(Path jar) throws IOException {
    Map<String, String> found = new TreeMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (var entry : file.stream().filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")).toList()) {
        Properties p = new Properties();
        try (InputStream in = file.getInputStream(entry)) {
          p.load(in);
        }
        String ga = p.getProperty("groupId") + ":" + p.getProperty("artifactId");
        String version = p.getProperty("version");
        assertNotNull(version, entry.getName());
        found.put(ga, version);
      }
    }
    return found;
  }
}
