package io.photoapp.jwt.cli;

import static io.photoapp.jwt.cli.CliRunner.NAMESPACE;

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
}
