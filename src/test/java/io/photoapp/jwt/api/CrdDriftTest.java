package io.photoapp.jwt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checked-in CRD is the one the build generates from the Java types, and says what DESIGN section 2 asks. */
class CrdDriftTest {
  private static final String GENERATED = "META-INF/fabric8/jwtsecrets.jwt.photoapp.io-v1.yml";

  private static JsonNode crd;
  private static JsonNode version;
  private static JsonNode spec;

  @BeforeAll
  static void readCheckedInCrd() {
    crd = CrdSchemaValidator.readYaml(CrdSchemaValidator.JWTSECRET_CRD);
    version = crd.path("spec").path("versions").get(0);
    spec = version.path("schema").path("openAPIV3Schema").path("properties").path("spec");
  }

  @Test
  void checkedInCrdIsTheGeneratedOne() throws IOException {
    String generated;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GENERATED)) {
      if (in == null) {
        fail(GENERATED + " is not on the class path: run the build through process-classes (mvn process-classes)");
      }
      generated = normalize(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    String checkedIn = normalize(Files.readString(CrdSchemaValidator.JWTSECRET_CRD));
    if (!generated.equals(checkedIn)) {
      fail("crds/jwtsecrets.jwt.photoapp.io-v1.yml differs from the CRD generated from the Java types ("
          + firstDifference(generated, checkedIn) + "). The CRD is never edited by hand: run "
          + "`mvn process-classes` and copy target/classes/" + GENERATED + " to crds/ and helm/jwt-secret-operator/files/crds/.");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"jwtsecretstores", "clusterjwtsecretstores"})
  void checkedInStoreCrdsAreTheGeneratedOnes(String plural) throws IOException {
    String file = plural + ".jwt.photoapp.io-v1.yml";
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/fabric8/" + file)) {
      assertTrue(in != null, file + " is generated");
      String generated = normalize(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(generated, normalize(Files.readString(java.nio.file.Path.of("crds", file))),
          "crds/" + file + " differs from the generated CRD: run `mvn process-classes` and copy it from target/classes/META-INF/fabric8/");
    }
    JsonNode store = CrdSchemaValidator.readYaml(java.nio.file.Path.of("crds", file));
    JsonNode names = store.path("spec").path("names");
    assertEquals(plural.startsWith("cluster") ? "ClusterJwtSecretStore" : "JwtSecretStore", names.path("kind").asText());
    assertEquals(plural.startsWith("cluster") ? "cjss" : "jss", names.path("shortNames").get(0).asText());
    assertEquals(plural.startsWith("cluster") ? "Cluster" : "Namespaced", store.path("spec").path("scope").asText());
    JsonNode v = store.path("spec").path("versions").get(0);
    assertTrue(v.path("subresources").has("status"), "status subresource");
    List<String> columns = new ArrayList<>();
    v.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
    assertEquals(List.of("Store", "Ready", "Age"), columns);
    // The schema says "exactly one" where the generator cannot.
    assertEquals(3, v.path("schema").path("openAPIV3Schema").path("properties").path("spec").path("oneOf").size());
  }

  @Test
  void aStoreRefHasNoNamespaceAndAPathStaysUnderThePrefix() {
    JsonNode push = spec.path("properties").path("push");
    assertEquals(8, push.path("maxItems").asInt());
    JsonNode item = push.path("items").path("properties");
    assertEquals(java.util.Set.of("name", "kind"), fieldNames(item.path("storeRef").path("properties")));
    assertEquals(200, item.path("path").path("maxLength").asInt());
    assertFalse(Pattern.matches(item.path("path").path("pattern").asText(), "../team-b/jwt"));
    assertFalse(Pattern.matches(item.path("path").path("pattern").asText(), "/team-b/jwt"));
    assertFalse(Pattern.matches(item.path("path").path("pattern").asText(), "%2e%2e/jwt"));
    assertTrue(Pattern.matches(item.path("path").path("pattern").asText(), "backend/production.v1"));
  }

  private static java.util.Set<String> fieldNames(JsonNode node) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void namesAndScopeAreTheContract() {
    assertEquals(JwtSecret.CRD_NAME, crd.path("metadata").path("name").asText());
    JsonNode names = crd.path("spec").path("names");
    assertEquals("JwtSecret", names.path("kind").asText());
    assertEquals("jwtsecrets", names.path("plural").asText());
    assertEquals("jwts", names.path("shortNames").get(0).asText());
    assertEquals("Namespaced", crd.path("spec").path("scope").asText());
    assertEquals("v1alpha1", version.path("name").asText());
    assertTrue(version.path("subresources").has("status"), "status subresource");
  }

  @Test
  void kubectlGetJwtListsEveryKindOfTheOperator() {
    assertEquals("jwt", crd.path("spec").path("names").path("categories").get(0).asText());
  }

  @Test
  void conditionsAreAListMapKeyedByType() {
    JsonNode conditions = version.path("schema").path("openAPIV3Schema").path("properties").path("status")
        .path("properties").path("conditions");
    assertEquals("map", conditions.path("x-kubernetes-list-type").asText());
    assertEquals("type", conditions.path("x-kubernetes-list-map-keys").get(0).asText());
    List<String> required = new ArrayList<>();
    conditions.path("items").path("required").forEach(r -> required.add(r.asText()));
    assertTrue(required.contains("type"), "a list map key must be required: " + required);
  }

  @Test
  void theSecretTemplateTakesStringLabelsAndAnnotations() {
    JsonNode template = spec.path("properties").path("secret").path("properties").path("template").path("properties");
    assertEquals("string", template.path("labels").path("additionalProperties").path("type").asText());
    assertEquals("string", template.path("annotations").path("additionalProperties").path("type").asText());
  }

  @Test
  void printerColumnsAreInTheDocumentedOrder() {
    List<String> names = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(c -> names.add(c.path("name").asText()));
    assertEquals(List.of("Environment", "Ready", "Phase", "Key ID", "Last Rotation", "Next Rotation", "Age"), names);
  }

  @Test
  void nextRotationIsAStringColumnBecauseADateColumnPrintsInvalidForFutureTimes() {
    assertEquals("string", column("Next Rotation").path("type").asText());
    assertEquals(".status.nextRotationTime", column("Next Rotation").path("jsonPath").asText());
    assertEquals("date", column("Last Rotation").path("type").asText());
    assertEquals("date", column("Age").path("type").asText());
  }

  @Test
  void keyLengthIsBetween32And4096() {
    JsonNode length = spec.path("properties").path("key").path("properties").path("length");
    assertEquals("integer", length.path("type").asText());
    assertEquals(32, length.path("minimum").asInt());
    assertEquals(4096, length.path("maximum").asInt());
  }

  @Test
  void rsaKeySizeIsBetween2048And8192() {
    JsonNode size = spec.path("properties").path("key").path("properties").path("size");
    assertEquals("integer", size.path("type").asText());
    assertEquals(2048, size.path("minimum").asInt());
    assertEquals(8192, size.path("maximum").asInt());
  }

  @Test
  void algorithmsAreTheHmacAndAsymmetricOnes() {
    List<String> algorithms = new ArrayList<>();
    spec.path("properties").path("key").path("properties").path("algorithm").path("enum").forEach(a -> algorithms.add(a.asText()));
    assertEquals(java.util.Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "EdDSA"), java.util.Set.copyOf(algorithms));
  }

  @Test
  void environmentIsRequired() {
    List<String> required = new ArrayList<>();
    spec.path("required").forEach(r -> required.add(r.asText()));
    assertTrue(required.contains("environment"), "spec.required: " + required);
  }

  @Test
  void secretNameHasTheKubernetesNamePattern() {
    String pattern = spec.path("properties").path("secret").path("properties").path("name").path("pattern").asText();
    assertEquals(SecretSpec.NAME_PATTERN, pattern);
    assertTrue(Pattern.compile(pattern).matcher("photoapp-jwt").matches());
    assertFalse(Pattern.compile(pattern).matcher("Bad_Name").matches());
  }

  @Test
  void selectorsMustNotBeEmpty() {
    JsonNode selector = spec.path("properties").path("restart").path("properties").path("targets")
        .path("items").path("properties").path("selector");
    assertEquals(1, selector.path("minProperties").asInt());
    assertEquals(1, selector.path("properties").path("matchLabels").path("minProperties").asInt());
    assertEquals(1, selector.path("properties").path("matchExpressions").path("minItems").asInt());
  }

  private static JsonNode column(String name) {
    for (JsonNode c : version.path("additionalPrinterColumns")) {
      if (name.equals(c.path("name").asText())) {
        return c;
      }
    }
    return fail("no printer column " + name);
  }

  private static String normalize(String text) {
    return text.replace("\r\n", "\n").strip();
  }

  private static String firstDifference(String generated, String checkedIn) {
    String[] a = generated.split("\n", -1);
    String[] b = checkedIn.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end of file>";
      String y = i < b.length ? b[i] : "<end of file>";
      if (!x.equals(y)) {
        return "first at line " + (i + 1) + ": generated `" + x.strip() + "`, checked in `" + y.strip() + "`";
      }
    }
    return "no line differs";
  }
}
