package io.photoapp.jwt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.policy.PolicyRules;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in examples/ is something a user can apply as it is: it parses, passes the CRD schema,
 * resolves without problems, complies with its own profile, and its Deployments work with the
 * operator (opted in, optional references to the keys that come and go).
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("examples");
  private static final Set<String> COMING_AND_GOING =
      Set.of(SpecResolver.DEFAULT_NEXT_DATA_KEY, SpecResolver.DEFAULT_PREVIOUS_DATA_KEY);
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final CrdSchemaValidator SCHEMA = CrdSchemaValidator.forJwtSecret();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static {
    SERIALIZATION.registerKubernetesResource(JwtSecret.class);
  }

  /** One YAML document of an example file: as written, and as fabric8 reads it. */
  record Document(Path file, JsonNode raw, HasMetadata resource) {
    String label() {
      return file.getFileName() + ": " + resource.getKind() + " " + resource.getMetadata().getName();
    }
  }

  // ---- the files -------------------------------------------------------------------------------

  @Test
  void examplesHoldTheDocumentedFiles() {
    Set<String> files = documents().stream().map(d -> d.file().getFileName().toString()).collect(Collectors.toSet());
    assertTrue(files.containsAll(Set.of(
        "photoapp-deployment.yaml", "photoapp-deployment-file.yaml",
        "jwtsecret-development.yaml", "jwtsecret-test.yaml", "jwtsecret-production.yaml",
        "jwtsecret-signing-es256.yaml")), files.toString());
  }

  @Test
  void everyDocumentIsAJwtSecretOrADeploymentWithoutNamespace() {
    for (Document d : documents()) {
      assertTrue(d.resource() instanceof JwtSecret || d.resource() instanceof Deployment,
          d.file() + " holds a " + d.resource().getClass().getSimpleName() + " (" + d.resource().getKind() + ")");
      assertNull(d.resource().getMetadata().getNamespace(),
          d.label() + " names a namespace; examples are applied to the current one");
    }
  }

  @Test
  void namesAreUniqueSoEveryExampleCanBeAppliedToOneNamespace() {
    Set<String> seen = new HashSet<>();
    for (Document d : documents()) {
      assertTrue(seen.add(d.resource().getKind() + "/" + d.resource().getMetadata().getName()), "twice: " + d.label());
    }
    Set<String> secrets = new HashSet<>();
    for (JwtSecret j : jwtSecretResources()) {
      assertTrue(secrets.add(resolved(j).secretName()), "two JwtSecrets write Secret " + resolved(j).secretName());
    }
  }

  @Test
  void theThreeEnvironmentsHaveAnExample() {
    Set<Environment> environments = EnumSet.noneOf(Environment.class);
    jwtSecretResources().forEach(j -> environments.add(j.getSpec().environment));
    assertEquals(EnumSet.allOf(Environment.class), environments);
  }

  // ---- JwtSecrets ------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("jwtSecrets")
  void jwtSecretPassesTheCrdSchema(Document d) {
    assertEquals(List.of(), SCHEMA.validate(d.raw()));
  }

  @ParameterizedTest
  @MethodSource("jwtSecrets")
  void jwtSecretHasNoFieldTheApiServerWouldPrune(Document d) {
    // The API server drops unknown fields without a word, so a misspelt field would silently do nothing.
    JsonNode typed = Serialization.jsonMapper().valueToTree(((JwtSecret) d.resource()).getSpec());
    assertEquals(d.raw().path("spec"), typed, "spec fields the JwtSecret types do not know");
  }

  @ParameterizedTest
  @MethodSource("jwtSecrets")
  void jwtSecretResolvesWithoutProblems(Document d) {
    assertEquals(List.of(), SpecResolver.resolve((JwtSecret) d.resource()).problems());
  }

  @ParameterizedTest
  @MethodSource("jwtSecrets")
  void jwtSecretCompliesWithItsOwnProfile(Document d) {
    EffectiveSpec spec = resolved((JwtSecret) d.resource());
    Profile profile = Profile.of(spec.environment());
    List<Finding> findings = new ArrayList<>(PolicyRules.judgePlannedKey(spec, profile));
    findings.addAll(PolicyRules.judgeSettings(spec, profile, NOW, NOW));
    assertEquals(List.of(), findings);
  }

  @ParameterizedTest
  @MethodSource("jwtSecrets")
  void jwtSecretTargetsOnlyExampleDeploymentsThatReadItsSecret(Document d) {
    EffectiveSpec spec = resolved((JwtSecret) d.resource());
    for (RestartTarget target : spec.targets()) {
      assertEquals(TargetKind.Deployment, target.kind);
      Deployment deployment = deploymentResources().stream()
          .filter(dep -> dep.getMetadata().getName().equals(target.name))
          .findFirst()
          .orElseGet(() -> fail("no example Deployment " + target.name));
      boolean readsPublicKeys = spec.algorithm().isAsymmetric()
          && configMapNamesReadBy(deployment).contains(JwksConfigMap.nameFor(spec.secretName()));
      assertTrue(secretNamesReadBy(deployment).contains(spec.secretName()) || readsPublicKeys,
          target.name + " reads neither Secret " + spec.secretName() + " nor, for an asymmetric key, its public keys' ConfigMap");
    }
  }

  @Test
  void productionExampleIsThePhotoAppsKey() {
    JwtSecret production = jwtSecretResources().stream()
        .filter(j -> j.getSpec().environment == Environment.PRODUCTION)
        .findFirst()
        .orElseGet(() -> fail("no production JwtSecret"));
    EffectiveSpec spec = resolved(production);
    assertEquals("photoapp-jwt", production.getMetadata().getName());
    assertEquals("photoapp-jwt", spec.secretName());
    assertEquals("@every 4320h", spec.schedule().expression());
    assertEquals(Duration.ofMinutes(30), spec.gracePeriod());
    assertEquals(15, spec.tokenLifetimeMinutes());
    assertEquals(List.of("Deployment/photoapp-backend", "Deployment/photoapp-backend-files"),
        spec.targets().stream().map(t -> t.kind + "/" + t.name).toList());
  }

  @Test
  void developmentExampleUsesACronInATimeZoneAndHexKeys() {
    EffectiveSpec spec = resolved(jwtSecret("photoapp-jwt-dev"));
    assertEquals("photoapp-jwt-dev", spec.secretName());
    assertEquals(5, spec.schedule().expression().split(" ").length);
    assertEquals("Europe/Berlin", spec.schedule().zone().getId());
    assertEquals(Encoding.HEX, spec.encoding());
    assertEquals(64, spec.length());
  }

  @Test
  void testExampleUsesHs384() {
    EffectiveSpec spec = resolved(jwtSecret("photoapp-jwt-test"));
    assertEquals("photoapp-jwt-test", spec.secretName());
    assertEquals(Algorithm.HS384, spec.algorithm());
  }

  @Test
  void signingExampleUsesEs256AndItsVerifierReadsOnlyThePublicKeys() {
    EffectiveSpec spec = resolved(jwtSecret("photoapp-signing"));
    assertEquals(Algorithm.ES256, spec.algorithm());
    assertEquals(Environment.PRODUCTION, spec.environment());
    Deployment verifier = deployment("photoapp-verifier");
    assertEquals(Set.of(), secretNamesReadBy(verifier), "a verifier needs no secret");
    assertEquals(Set.of("photoapp-signing-jwks"), configMapNamesReadBy(verifier));
    Map<String, String> env = containers(verifier).get(0).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals("/var/run/jwks/" + JwksConfigMap.DATA_KEY, env.get("JWT_JWKS_FILE"));
    Deployment signer = deployment("photoapp-auth");
    assertTrue(secretNamesReadBy(signer).contains("photoapp-signing"));
    Map<String, String> signerEnv = containers(signer).get(0).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals("/var/run/secrets/jwt/private.jwk.json", signerEnv.get("JWT_PRIVATE_JWK_FILE"));
  }

  // ---- Deployments -----------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("deployments")
  void deploymentOptsIntoRestarts(Document d) {
    assertEquals(Labels.TRUE, d.resource().getMetadata().getLabels().get(Labels.RESTARTABLE));
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void deploymentSelectorMatchesItsPodsAndNoOtherDeploymentsPods(Document d) {
    Deployment deployment = (Deployment) d.resource();
    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    assertFalse(selector.isEmpty());
    assertTrue(matches(selector, deployment.getSpec().getTemplate().getMetadata().getLabels()),
        "the API server refuses a Deployment whose selector does not match its template");
    for (Deployment other : deploymentResources()) {
      if (!other.getMetadata().getName().equals(deployment.getMetadata().getName())) {
        assertFalse(matches(selector, other.getSpec().getTemplate().getMetadata().getLabels()),
            "overlapping selectors with " + other.getMetadata().getName());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void deploymentMarksTheNextAndPreviousKeysOptional(Document d) {
    Deployment deployment = (Deployment) d.resource();
    for (Container c : containers(deployment)) {
      for (EnvVar env : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
        SecretKeySelector ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
        if (ref != null && COMING_AND_GOING.contains(ref.getKey())) {
          assertEquals(Boolean.TRUE, ref.getOptional(), env.getName() + " reads " + ref.getKey() + " without optional: true");
        }
      }
    }
    for (SecretVolumeSource secret : secretVolumes(deployment)) {
      for (KeyToPath item : Objects.requireNonNullElse(secret.getItems(), List.<KeyToPath>of())) {
        if (COMING_AND_GOING.contains(item.getKey())) {
          assertEquals(Boolean.TRUE, secret.getOptional(), "volume items list " + item.getKey() + " without optional: true");
        }
      }
    }
  }

  @Test
  void secretKeyRefDeploymentReadsEveryValueTheOperatorWrites() {
    Deployment deployment = deployment("photoapp-backend");
    assertEquals("photoapp", deployment.getMetadata().getLabels().get("app"));
    assertEquals(2, deployment.getSpec().getReplicas());
    Map<String, String> keyByVariable = new LinkedHashMap<>();
    for (EnvVar env : containers(deployment).get(0).getEnv()) {
      SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
      assertEquals("photoapp-jwt", ref.getName());
      keyByVariable.put(env.getName(), ref.getKey());
    }
    assertEquals(Map.of(
        "JWT_SECRET_KEY", "jwt-secret-key",
        "JWT_SECRET_KEY_NEXT", "jwt-secret-key-next",
        "JWT_SECRET_KEY_PREVIOUS", "jwt-secret-key-previous",
        "JWT_ALGORITHM", "jwt-algorithm",
        "JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "jwt-access-token-expire-minutes"), keyByVariable);
  }

  @Test
  void fileDeploymentMountsTheWholeSecretReadOnly() {
    Deployment deployment = deployment("photoapp-backend-files");
    Container container = containers(deployment).get(0);
    VolumeMount mount = container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals("/var/run/secrets/jwt"))
        .findFirst()
        .orElseGet(() -> fail("no mount at /var/run/secrets/jwt"));
    assertEquals(Boolean.TRUE, mount.getReadOnly());
    Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName()))
        .findFirst()
        .orElseGet(() -> fail("no volume " + mount.getName()));
    assertEquals("photoapp-jwt", volume.getSecret().getSecretName());
    assertTrue(volume.getSecret().getItems() == null || volume.getSecret().getItems().isEmpty(),
        "items would have to mark the next and previous keys optional");
    Map<String, String> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals("/var/run/secrets/jwt/jwt-secret-key", env.get("JWT_SECRET_KEY_FILE"));
    assertEquals("/var/run/secrets/jwt/jwks-secret.json", env.get("JWT_JWKS_FILE"));
  }

  // ---- what the schema refuses -----------------------------------------------------------------

  private static final String VALID = """
      apiVersion: jwt.photoapp.io/v1alpha1
      kind: JwtSecret
      metadata:
        name: valid
      spec:
        environment: production
        secret:
          name: valid-jwt
        key:
          algorithm: HS256
          length: 64
          encoding: urlsafe
        rotation:
          schedule: "@every 4320h"
          gracePeriod: 30m
          rotateAfter: "2026-12-01T03:00:00Z"
        restart:
          targets:
            - kind: Deployment
              selector:
                matchLabels: { app: photoapp }
      """;

  @Test
  void theBaseOfTheMalformedCasesPassesTheSchema() {
    assertEquals(List.of(), SCHEMA.validateYaml(VALID));
  }

  static Stream<Arguments> malformedJwtSecrets() {
    return Stream.of(
        argumentSet("key length 31", VALID.replace("length: 64", "length: 31"), "$.spec.key.length"),
        argumentSet("key length 5000", VALID.replace("length: 64", "length: 5000"), "$.spec.key.length"),
        argumentSet("key length as a string", VALID.replace("length: 64", "length: \"64\""), "$.spec.key.length"),
        argumentSet("unknown algorithm none", VALID.replace("algorithm: HS256", "algorithm: none"), "$.spec.key.algorithm"),
        argumentSet("unknown algorithm ES256K", VALID.replace("algorithm: HS256", "algorithm: ES256K"), "$.spec.key.algorithm"),
        argumentSet("RSA size 1024", VALID.replace("algorithm: HS256", "algorithm: RS256\n    size: 1024"), "$.spec.key.size"),
        argumentSet("RSA size 16384", VALID.replace("algorithm: HS256", "algorithm: RS256\n    size: 16384"), "$.spec.key.size"),
        argumentSet("unknown encoding base32", VALID.replace("encoding: urlsafe", "encoding: base32"), "$.spec.key.encoding"),
        argumentSet("unknown environment staging", VALID.replace("environment: production", "environment: staging"), "$.spec.environment"),
        argumentSet("missing environment", VALID.replace("  environment: production\n", ""), "environment"),
        argumentSet("Secret name Bad_Name", VALID.replace("name: valid-jwt", "name: Bad_Name"), "$.spec.secret.name"),
        argumentSet("empty selector", VALID.replace("selector:\n          matchLabels: { app: photoapp }", "selector: {}"), "$.spec.restart.targets[0].selector"),
        argumentSet("selector with empty matchLabels", VALID.replace("{ app: photoapp }", "{}"), "$.spec.restart.targets[0].selector.matchLabels"),
        argumentSet("target without kind", VALID.replace("- kind: Deployment\n        selector:", "- selector:"), "kind"),
        argumentSet("unknown target kind Job", VALID.replace("kind: Deployment", "kind: Job"), "$.spec.restart.targets[0].kind"),
        argumentSet("grace period \"5 minutes\"", VALID.replace("gracePeriod: 30m", "gracePeriod: 5 minutes"), "$.spec.rotation.gracePeriod"),
        argumentSet("rotateAfter \"tomorrow\"", VALID.replace("\"2026-12-01T03:00:00Z\"", "tomorrow"), "$.spec.rotation.rotateAfter"),
        argumentSet("token lifetime 0 minutes", VALID.replace("  rotation:\n", "  token:\n    accessTokenExpireMinutes: 0\n  rotation:\n"), "$.spec.token.accessTokenExpireMinutes"));
  }

  @ParameterizedTest
  @MethodSource("malformedJwtSecrets")
  void schemaRefusesMalformedJwtSecret(String yaml, String field) {
    assertFalse(yaml.equals(VALID), "the case did not change the valid JwtSecret");
    List<String> errors = SCHEMA.validateYaml(yaml);
    assertFalse(errors.isEmpty(), "accepted:\n" + yaml);
    assertTrue(errors.stream().anyMatch(e -> e.contains(field)), "no error names " + field + ": " + errors);
  }

  // ---- reading the examples --------------------------------------------------------------------

  private static List<Document> examples;

  /** Every document of every file in examples/, read once. */
  static synchronized List<Document> documents() {
    if (examples == null) {
      examples = readExamples();
    }
    return examples;
  }

  private static List<Document> readExamples() {
    List<Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
        String text = Files.readString(file);
        List<JsonNode> raw = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Serialization.yamlMapper().readerFor(JsonNode.class).readValues(text)) {
          it.forEachRemaining(n -> {
            if (n != null && !n.isNull() && !n.isEmpty()) {
              raw.add(n);
            }
          });
        }
        List<HasMetadata> resources = resources(SERIALIZATION.unmarshal(new ByteArrayInputStream(text.getBytes())));
        assertEquals(raw.size(), resources.size(), file + ": documents read by Jackson and by fabric8");
        assertFalse(resources.isEmpty(), file + " holds no resource");
        for (int i = 0; i < raw.size(); i++) {
          documents.add(new Document(file, raw.get(i), resources.get(i)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(documents);
  }

  private static List<HasMetadata> resources(Object parsed) {
    if (parsed instanceof List<?> list) {
      return list.stream().filter(Objects::nonNull).map(o -> assertInstanceOf(HasMetadata.class, o)).toList();
    }
    return parsed == null ? List.of() : List.of(assertInstanceOf(HasMetadata.class, parsed));
  }

  static Stream<Arguments> jwtSecrets() {
    return documents().stream().filter(d -> d.resource() instanceof JwtSecret).map(d -> argumentSet(d.label(), d));
  }

  static Stream<Arguments> deployments() {
    return documents().stream().filter(d -> d.resource() instanceof Deployment).map(d -> argumentSet(d.label(), d));
  }

  private static List<JwtSecret> jwtSecretResources() {
    return documents().stream().map(Document::resource).filter(JwtSecret.class::isInstance).map(JwtSecret.class::cast).toList();
  }

  private static List<Deployment> deploymentResources() {
    return documents().stream().map(Document::resource).filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
  }

  private static JwtSecret jwtSecret(String name) {
    return jwtSecretResources().stream().filter(j -> j.getMetadata().getName().equals(name)).findFirst()
        .orElseGet(() -> fail("no example JwtSecret " + name));
  }

  private static Deployment deployment(String name) {
    return deploymentResources().stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
        .orElseGet(() -> fail("no example Deployment " + name));
  }

  private static EffectiveSpec resolved(JwtSecret j) {
    SpecResolver.Result result = SpecResolver.resolve(j);
    assertEquals(List.of(), result.problems(), j.getMetadata().getName());
    return result.spec();
  }

  private static List<Container> containers(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers();
  }

  private static List<SecretVolumeSource> secretVolumes(Deployment d) {
    return Optional.ofNullable(d.getSpec().getTemplate().getSpec().getVolumes()).orElse(List.of()).stream()
        .map(Volume::getSecret).filter(Objects::nonNull).toList();
  }

  private static Set<String> secretNamesReadBy(Deployment d) {
    Set<String> names = new HashSet<>();
    for (Container c : containers(d)) {
      for (EnvVar env : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
          names.add(env.getValueFrom().getSecretKeyRef().getName());
        }
      }
    }
    secretVolumes(d).forEach(s -> names.add(s.getSecretName()));
    return names;
  }

  private static Set<String> configMapNamesReadBy(Deployment d) {
    return Optional.ofNullable(d.getSpec().getTemplate().getSpec().getVolumes()).orElse(List.of()).stream()
        .map(Volume::getConfigMap).filter(Objects::nonNull).map(c -> c.getName()).collect(Collectors.toSet());
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return labels != null && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
