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
  /** Column order of {@code kubectl get jwts} (and of the stores: Store, Ready, Age). */
  public static final List<String> COLUMN_ORDER =
      List.of("Store", "Environment", "Ready", "Phase", "Key ID", "Last Rotation", "Next Rotation", "Age");
  /** Where the stores' schema says "exactly one of", which the generator cannot state. */
  private static final List<List<String>> EXACTLY_ONE = List.of(
      List.of("spec", "vault|awsSecretsManager|azureKeyVault"),
      List.of("spec.vault.auth", "kubernetes|tokenSecretRef"),
      List.of("spec.awsSecretsManager.auth", "jwt|secretRef"),
      List.of("spec.azureKeyVault.auth", "workloadIdentity|clientSecret"),
      List.of("spec.vault.caBundle", "pem|secretRef|configMapRef"));
  /** Fields a namespaced store may not hold: the operator's own identity is a cluster admin's choice. */
  private static final List<String> NAMESPACED_STORE_FORBIDS = List.of(
      "spec.vault.auth.kubernetes", "spec.awsSecretsManager.auth.jwt", "spec.azureKeyVault.auth.workloadIdentity");

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
      if (file.getFileName().toString().contains("jwtsecretstores")) {
        stores((ObjectNode) version.path("schema").path("openAPIV3Schema"),
            !file.getFileName().toString().startsWith("cluster"));
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

  /** oneOf-required lists (allowed in a structural schema), and for a namespaced store no operator identity. */
  private static void stores(ObjectNode root, boolean namespaced) {
    for (List<String> rule : EXACTLY_ONE) {
      ObjectNode at = at(root, rule.get(0));
      if (at != null) {
        ArrayNode oneOf = at.putArray("oneOf");
        for (String field : rule.get(1).split("\\|")) {
          oneOf.addObject().putArray("required").add(field);
        }
      }
    }
    ObjectNode spec = at(root, "spec");
    if (spec != null) {
      root.putArray("required").add("spec");
    }
    if (namespaced) {
      for (String path : NAMESPACED_STORE_FORBIDS) {
        ObjectNode at = at(root, path);
        if (at != null) {
          ArrayNode anyOf = at.putObject("not").putArray("anyOf");
          anyOf.addObject().putArray("required").add("operatorIdentity");
          anyOf.addObject().putArray("required").add("operator");
        }
      }
    }
  }

  private static ObjectNode at(ObjectNode root, String dotted) {
    JsonNode node = root;
    for (String part : dotted.split("\\.")) {
      node = node.path("properties").path(part);
    }
    return node instanceof ObjectNode o ? o : null;
  }

  private static int order(String name) {
    int i = COLUMN_ORDER.indexOf(name);
    return i < 0 ? COLUMN_ORDER.size() : i;
  }
}
