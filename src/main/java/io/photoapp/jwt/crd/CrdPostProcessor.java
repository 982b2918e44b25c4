package io.photoapp.jwt.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the generated CRD's printer columns in the order kubectl should show them; the generator
 * sorts them by JSON path. Run by the build right after the CRD generator.
 */
public final class CrdPostProcessor {
  /** Column order of {@code kubectl get jwts}. */
  public static final List<String> COLUMN_ORDER =
      List.of("Environment", "Ready", "Phase", "Key ID", "Last Rotation", "Next Rotation", "Age");

  private CrdPostProcessor() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    String text = Files.readString(file);
    String header = text.startsWith("#") ? text.substring(0, text.indexOf('\n') + 1) : "";
    ObjectNode crd = (ObjectNode) Serialization.yamlMapper().readTree(text);
    for (JsonNode version : crd.path("spec").path("versions")) {
      JsonNode columns = version.path("additionalPrinterColumns");
      if (columns.isArray()) {
        List<JsonNode> sorted = new ArrayList<>();
        columns.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(c -> order(c.path("name").asText())));
        ArrayNode reordered = ((ObjectNode) version).putArray("additionalPrinterColumns");
        sorted.forEach(reordered::add);
      }
    }
    Files.writeString(file, header + Serialization.asYaml(crd).replaceFirst("^---\n", ""));
  }

  private static int order(String name) {
    int i = COLUMN_ORDER.indexOf(name);
    return i < 0 ? COLUMN_ORDER.size() : i;
  }
}
