package io.photoapp.jwt.cli;

import static io.photoapp.jwt.cli.CliRunner.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a running operator: a harness per test with the namespace {@link CliRunner#NAMESPACE},
 * the operator started, a {@link CliRunner} on it, and a {@link LeakGuard} that fails a test whose keys
 * show in status, Events, log lines or metrics (the runner itself checks what the CLI printed).
 */
@MockApiServer
abstract class CliScenario {
  OperatorHarness h;
  CliRunner cli;

  @BeforeEach
  void startOperator(OperatorHarness harness, @TempDir Path dir) {
    h = harness;
    h.namespace(NAMESPACE, Map.of());
    h.start();
    cli = new CliRunner(h, dir);
  }

  /** Runs a command line (words split at spaces) that every command refuses alike: exit code 2, one line "error: ...". */
  CliRunner.Result refused(String commandLine) {
    CliRunner.Result r = cli.run(commandLine.split(" "));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1).allMatch(line -> line.startsWith("error: "));
    return r;
  }

  /** Runs a command line (words split at spaces) whose API server does not answer: exit code 2, and it says so. */
  CliRunner.Result unreachable(String commandLine) {
    CliRunner.Result r = cli.run(commandLine.split(" "));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: cannot reach the API server");
    return r;
  }
}
