package io.photoapp.jwt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class VersionOptionTest {
  @Test
  void versionPrintsTheBuildsVersion() {
    StringWriter out = new StringWriter();
    assertThat(Main.execute(OnCallEnvironment.production(), new PrintWriter(out), null, "--version")).isZero();
    assertThat(out.toString().strip()).isEqualTo("jwt-secret-operator " + VersionProvider.version());
    assertThat(VersionProvider.version()).doesNotContain("${").isNotEqualTo("unknown");
  }
}
