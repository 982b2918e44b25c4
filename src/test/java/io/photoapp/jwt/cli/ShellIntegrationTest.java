package io.photoapp.jwt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shell completion and the kubectl-jwt plugin wrapper. */
class ShellIntegrationTest {
  static final Path WRAPPER = Path.of("bin", "kubectl-jwt");

  static String run(String... args) {
    StringWriter out = new StringWriter();
    int code = Main.execute(OnCallEnvironment.production(), new PrintWriter(out), new PrintWriter(new StringWriter()), args);
    assertThat(code).isZero();
    return out.toString();
  }

  @Test
  void completionPrintsABashScriptThatCompletesEverySubcommandAndRotatesOptions() {
    String script = run("completion");
    assertThat(script).contains("complete -F _complete_jwt-secret-operator")
        .contains("jwt-secret-operator");
    for (String command : List.of("run", "generate", "demo", "rotate", "status", "audit", "completion")) {
      assertThat(script).as(command).contains(command);
    }
    assertThat(script).contains("--emergency").contains("--all-namespaces").contains("--selector");
  }

  @Test
  void completionForTheKubectlPluginNamesIt() {
    assertThat(run("completion", "--name", "kubectl-jwt")).contains("complete -F _complete_kubectl-jwt");
  }

  @Test
  void theWrapperPassesEveryArgumentToTheJar(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("jwt-secret-operator.jar"), "not a jar");
    Path args = dir.resolve("args");
    // A stand-in for java that records what it was given.
    Path java = dir.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + args + "\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));

    Process p = process(Map.of("JAVA", java.toString(), "JWT_OPERATOR_JAR", jar.toString(), "JAVA_OPTS", "-Xmx64m"),
        "rotate", "photoapp-jwt", "-n", "photo app");
    assertThat(p.waitFor()).isZero();
    assertThat(Files.readAllLines(args)).containsExactly("-Xmx64m", "-jar", jar.toString(), "rotate", "photoapp-jwt", "-n", "photo app");
  }

  @Test
  void theWrapperSaysWhereTheJarShouldBe(@TempDir Path dir) throws Exception {
    Process p = process(Map.of("JWT_OPERATOR_JAR", dir.resolve("missing.jar").toString()), "status");
    assertThat(p.waitFor()).isEqualTo(2);
    assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("set JWT_OPERATOR_JAR");
  }

  static Process process(Map<String, String> env, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("sh", WRAPPER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return builder.start();
  }
}
