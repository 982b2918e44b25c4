package io.photoapp.jwt.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * values.schema.json is strict and complete: every key of values.yaml is in it, every level refuses
 * unknown keys (so a typo is an error, not silence), and every key it allows is read by a template.
 */
class ValuesSchemaTest {
  static final Path CHART = ChartTest.CHART;
  static final Pattern VALUES_REFERENCE = Pattern.compile("\\.Values((?:\\.[A-Za-z0-9_]+)+)");

  static JsonNode schema;
  static JsonNode values;

  @BeforeAll
  static void read() throws IOException {
    schema = new ObjectMapper().readTree(CHART.resolve("values.schema.json").toFile());
    values = new ObjectMapper(new YAMLFactory()).readTree(CHART.resolve("values.yaml").toFile());
  }

  @Test
  void everyKeyOfValuesYamlIsInTheSchema() {
    List<String> missing = new ArrayList<>();
    walkValues(values, schema, "", missing);
    assertThat(missing).as("keys of values.yaml that values.schema.json does not describe").isEmpty();
  }

  static void walkValues(JsonNode value, JsonNode schemaNode, String path, List<String> missing) {
    if (!value.isObject() || !schemaNode.has("properties")) {
      return; // a leaf, a list, or a map / Kubernetes object the schema passes through
    }
    value.fieldNames().forEachRemaining(key -> {
      JsonNode property = schemaNode.path("properties").get(key);
      if (property == null) {
        missing.add(path + key);
      } else {
        walkValues(value.get(key), property, path + key + ".", missing);
      }
    });
  }

  @Test
  void everyLevelOfTheSchemaRefusesUnknownKeys() {
    List<String> open = new ArrayList<>();
    schemaPaths(schema, "", (path, node) -> {
      // A level that lists its keys must refuse others; maps (labels) and Kubernetes objects passed
      // through as they are (affinity, tolerations) list none.
      JsonNode additional = node.path("additionalProperties");
      if (node.has("properties") && !(additional.isBoolean() && !additional.asBoolean())) {
        open.add(path.isEmpty() ? "(top level)" : path);
      }
    });
    assertThat(open).as("levels without additionalProperties: false").isEmpty();
  }

  @Test
  void everySchemaKeyIsReadByATemplate() throws IOException {
    Set<String> referenced = referencedValues();
    List<String> unused = new ArrayList<>();
    schemaPaths(schema, "", (path, node) -> {
      if (path.isEmpty() || node.has("properties")) {
        return; // a level is used when its keys are
      }
      boolean used = false;
      String p = path;
      while (!used) {
        used = referenced.contains(p);
        int dot = p.lastIndexOf('.');
        if (dot < 0) {
          break;
        }
        p = p.substring(0, dot); // a parent read as a whole (toYaml .Values.resources) reads its keys
      }
      if (!used) {
        unused.add(path);
      }
    });
    assertThat(unused).as("schema keys no template reads (a value that does nothing)").isEmpty();
  }

  /** Every .Values.a.b.c path the templates mention. */
  static Set<String> referencedValues() throws IOException {
    Set<String> paths = new TreeSet<>();
    try (Stream<Path> files = Files.walk(CHART.resolve("templates"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Matcher m = VALUES_REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          paths.add(m.group(1).substring(1));
        }
      }
    }
    return paths;
  }

  interface Visitor {
    void visit(String path, JsonNode node);
  }

  static void schemaPaths(JsonNode node, String path, Visitor visitor) {
    visitor.visit(path, node);
    node.path("properties").fields().forEachRemaining(e ->
        schemaPaths(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), visitor));
  }

  @ParameterizedTest
  @ValueSource(strings = {"serviceMonitor:\n  enable: true\n", "crds:\n  keeep: false\n", "replica: 2\n",
      "securityContext:\n  runAsNonroot: false\n", "prometheusRule:\n  rotationHeldFor: half an hour\n",
      "cacheSyncTimeout: ten minutes\n"})
  void helmRefusesATypoInsteadOfIgnoringIt(String typo, @TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("typo.yaml"), typo);
    String key = typo.lines().reduce((a, b) -> b).orElseThrow().strip().split(":")[0];
    assertThatThrownBy(() -> new Helm(CHART).template().withName(ChartTest.RELEASE).withNamespace(ChartTest.NAMESPACE)
        .withValuesFile(file).call())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(key.equals("rotationHeldFor") ? "rotationHeldFor" : key);
  }

  @Test
  void theSchemaNamesEveryTopLevelKeyOfValuesYaml() {
    Set<String> inValues = new TreeSet<>();
    values.fieldNames().forEachRemaining(inValues::add);
    Set<String> inSchema = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(inSchema::add);
    assertThat(inSchema).as("top-level keys: values.yaml documents each default").isEqualTo(inValues);
    assertThat(inValues.stream().collect(Collectors.joining(","))).contains("crds", "podDisruptionBudget", "extraObjects");
  }
}
