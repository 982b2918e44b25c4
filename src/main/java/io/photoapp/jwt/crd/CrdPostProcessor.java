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
import java.util.stream.Stream;

/**
 * Finishes what the CRD generator cannot express: puts the printer columns in the order kubectl
 * should show them (the generator sorts them by JSON path), and makes every {@code conditions}
 * list a map keyed by {@code type} ({@code x-kubernetes-list-type: map}), so that server-side apply
 * and kubectl treat each condition as one entry. Run by the build right after the CRD generator,
 * on every CRD file of the directory (or the files) it is given.
 */
public final class CrdPostProcessor {
  /** Column order of {@code kubectl get jwts}. */
  public static final List<String> COLUMN_ORDER =
      List.of("Environment", "Ready", "Phase", "Key ID", "Last Rotation", "Next Rotation", "Age");

  private CrdPostProcessor() {}

  public static void main(String[] args) throws IOException {
    for (String arg : args) {
      Path path = Path.of(arg);
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
            process(file);
          }
        }
      } else {
        process(path);
      }
    }
  }

  static void process(Path file) throws IOException {
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
      JsonNode conditions = version.path("schema").path("openAPIV3Schema").path("properties").path("status")
          .path("properties").path("conditions");
      if (conditions.isObject() && conditions.path("items").path("properties").has("type")) {
        ObjectNode list = (ObjectNode) conditions;
        list.put("x-kubernetes-list-type", "map");
        list.putArray("x-kubernetes-list-map-keys").add("type");
        // A map key must be required; type and status are what every condition has.
        ArrayNode required = ((ObjectNode) list.path("items")).putArray("required");
        required.add("type").add("status");
      }
    }
    Files.writeString(file, header + Serialization.asYaml(crd).replaceFirst("^---\n", ""));
  }

  private static int order(String name) {
    int i = COLUMN_ORDER.indexOf(name);
    return i < 0 ? COLUMN_ORDER.size() : i;
  }
}
