package io.photoapp.jwt.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gitops/flux/helmrelease.yaml installs this chart, CRDs included, with values the chart accepts. */
class FluxExampleTest {
  static final Path EXAMPLE = Path.of("gitops", "flux", "helmrelease.yaml");

  static JsonNode helmRelease() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(EXAMPLE)).readAll();
    return docs.stream().filter(d -> "HelmRelease".equals(d.path("kind").asText())).findFirst().orElseThrow();
  }

  @Test
  void crdsAreCreatedOnInstallAndReplacedOnUpgrade() throws IOException {
    JsonNode release = helmRelease();
    assertThat(release.path("apiVersion").asText()).isEqualTo("helm.toolkit.fluxcd.io/v2");
    assertThat(release.path("spec").path("install").path("crds").asText()).isEqualTo("Create");
    assertThat(release.path("spec").path("upgrade").path("crds").asText()).isEqualTo("CreateReplace");
    Path chart = Path.of(release.path("spec").path("chart").path("spec").path("chart").asText());
    assertThat(chart.normalize()).isEqualTo(ChartTest.CHART);
  }

  @Test
  void itsValuesPassTheChartsSchemaAndInstallTheCrds(@TempDir Path dir) throws IOException {
    ObjectNode values = (ObjectNode) helmRelease().path("spec").path("values");
    ChartTest.Render render = ChartTest.render(dir, "flux.yaml", new YAMLMapper().writeValueAsString(values));
    assertThat(render.all(CustomResourceDefinition.class)).isNotEmpty();
  }
}
