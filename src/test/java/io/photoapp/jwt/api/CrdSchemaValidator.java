package io.photoapp.jwt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks resources against a CRD's {@code openAPIV3Schema} the way the API server's schema
 * validation would, so tests can tell what a cluster refuses without a cluster.
 *
 * <p>A structural schema is JSON Schema plus a few OpenAPI and Kubernetes keywords: {@code
 * nullable} is translated, the {@code x-kubernetes-*} extensions are dropped (none of them refuses
 * anything the plain schema accepts). Unknown fields pass, as they do in a cluster, which prunes
 * them instead of refusing them.
 */
public final class CrdSchemaValidator {
  /** The checked-in JwtSecret CRD, relative to the project directory (where tests run). */
  public static final Path JWTSECRET_CRD = Path.of("crds", "jwtsecrets.jwt.photoapp.io-v1.yml");

  private final JsonSchema schema;

  private CrdSchemaValidator(JsonSchema schema) {
    this.schema = schema;
  }

  /** A validator for JwtSecrets of the served version, from the checked-in CRD. */
  public static CrdSchemaValidator forJwtSecret() {
    return fromCrd(JWTSECRET_CRD, JwtSecret.VERSION);
  }

  /** A validator for one version of the CRD in {@code crdFile}. */
  public static CrdSchemaValidator fromCrd(Path crdFile, String version) {
    JsonNode crd = readYaml(crdFile);
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        JsonNode openApi = v.path("schema").path("openAPIV3Schema");
        if (openApi.isMissingNode()) {
          throw new IllegalArgumentException(crdFile + " version " + version + " has no openAPIV3Schema");
        }
        JsonNode jsonSchema = toJsonSchema(openApi.deepCopy());
        return new CrdSchemaValidator(
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(jsonSchema));
      }
    }
    throw new IllegalArgumentException(crdFile + " does not serve version " + version);
  }

  /** The schema errors of a whole resource (apiVersion, kind, metadata, spec...), e.g. {@code $.spec.key.length: ...}. */
  public List<String> validate(JsonNode resource) {
    return schema.validate(resource).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** The schema errors of one resource given as YAML. */
  public List<String> validateYaml(String yaml) {
    try {
      return validate(Serialization.yamlMapper().readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readYaml(Path file) {
    try {
      return Serialization.yamlMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites one schema's OpenAPI and Kubernetes keywords, in place, into plain JSON Schema. */
  private static JsonNode toJsonSchema(JsonNode schema) {
    if (!(schema instanceof ObjectNode object)) {
      return schema;
    }
    object.properties().removeIf(field -> field.getKey().startsWith("x-kubernetes-"));
    if (object.path("nullable").asBoolean(false) && object.path("type").isTextual()) {
      object.set("type", object.arrayNode().add(object.get("type").asText()).add("null"));
    }
    object.remove("nullable");
    for (String map : List.of("properties", "patternProperties", "definitions")) {
      object.path(map).forEach(CrdSchemaValidator::toJsonSchema);
    }
    for (String sub : List.of("items", "additionalProperties", "not")) {
      JsonNode child = object.path(sub);
      if (child.isArray()) {
        child.forEach(CrdSchemaValidator::toJsonSchema);
      } else {
        toJsonSchema(child);
      }
    }
    for (String list : List.of("allOf", "anyOf", "oneOf")) {
      object.path(list).forEach(CrdSchemaValidator::toJsonSchema);
    }
    return object;
  }
}
