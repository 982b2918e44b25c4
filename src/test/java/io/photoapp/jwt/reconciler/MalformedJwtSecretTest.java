package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Counter;
import io.photoapp.jwt.api.CrdSchemaValidator;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of malformed JwtSecrets in {@code src/test/resources/malformed}: each file says, in
 * its first comment line, what is wrong and who catches it. The CRD schema (the generated one, as the
 * API server would apply it) refuses what it can; the operator reports the rest, and everything the
 * schema refuses that reaches it anyway (a cluster without the schema, or a newer CRD), with a
 * condition, a clear reason and a Warning event, writes nothing, and goes on serving every other
 * JwtSecret.
 *
 * <p>A file holds the malformed JwtSecret last, named {@code bad}; documents before it are created
 * first (the JwtSecret whose Secret it claims, a workload). Comment lines: {@code schema-expect:} a
 * fragment of the schema's error; {@code expect: Type=Status Reason: fragment} the condition the
 * operator sets; {@code secret: written} when the key is still made (a setting or a target is wrong,
 * not the key). {@code ${repeat:c:n}} stands for n characters c.
 */
@MockApiServer(harness = Lifecycle.PER_CLASS, leakGuard = Lifecycle.PER_CLASS)
class MalformedJwtSecretTest {
  static final Path DIR = Path.of("src/test/resources/malformed");
  static final Pattern EXPECT = Pattern.compile("(\\w+)=(\\w+) (\\w+): (.+)");
  static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(.):(\\d+)}");
  static final Duration PATIENCE = Duration.ofSeconds(60);
  static OperatorHarness h;
  static final Map<String, Map<String, String>> secretsBefore = new HashMap<>();

  /** One file of the catalogue. */
  record Case(String name, String who, String what, String schemaExpect, String expect, boolean written,
      List<String> setup, String bad) {
    boolean schemaRefuses() {
      return who.startsWith("schema");
    }

    boolean operatorReports() {
      return expect != null;
    }

    String namespace() {
      return "malformed-" + name;
    }

    Matcher expected() {
      Matcher m = EXPECT.matcher(expect);
      if (!m.matches()) {
        throw new IllegalArgumentException(name + ": expect must read Type=Status Reason: fragment");
      }
      return m;
    }

    @Override
    public String toString() {
      return name + " (" + who + ": " + what + ")";
    }
  }

  static List<Case> catalogue() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(MalformedJwtSecretTest::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Case> schemaCases() {
    return catalogue().stream().filter(Case::schemaRefuses);
  }

  static Stream<Case> operatorCases() {
    return catalogue().stream().filter(Case::operatorReports);
  }

  static Case read(Path file) {
    try {
      String text = Files.readString(file);
      Matcher r = REPEAT.matcher(text);
      text = r.replaceAll(m -> m.group(1).repeat(Integer.parseInt(m.group(2))));
      Map<String, String> header = new HashMap<>();
      String first = text.lines().findFirst().orElse("");
      for (String line : text.lines().takeWhile(l -> l.startsWith("#")).skip(1).toList()) {
        int colon = line.indexOf(':');
        header.put(line.substring(1, colon).trim(), line.substring(colon + 1).trim());
      }
      String[] whoWhat = first.substring(1).split(":", 2);
      List<String> docs = new ArrayList<>(Arrays.stream(text.split("(?m)^---$")).map(String::strip).toList());
      String bad = docs.remove(docs.size() - 1);
      String name = file.getFileName().toString().replace(".yaml", "");
      return new Case(name, whoWhat[0].trim(), whoWhat[1].trim(), header.get("schema-expect"), header.get("expect"),
          header.getOrDefault("secret", "none").startsWith("written"), docs, bad);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CrdSchemaValidator schema;

  static synchronized CrdSchemaValidator generatedSchema() {
    if (schema == null) {
      schema = readGeneratedSchema();
    }
    return schema;
  }

  private static CrdSchemaValidator readGeneratedSchema() {
    Path generated = Path.of("target/classes/META-INF/fabric8/jwtsecrets.jwt.photoapp.io-v1.yml");
    return Files.exists(generated) ? CrdSchemaValidator.fromCrd(generated, JwtSecret.VERSION) : CrdSchemaValidator.forJwtSecret();
  }

  /** Creates every operator case at once, one namespace each, with a well-formed neighbour created after it. */
  @BeforeAll
  static void applyTheCatalogueToOneOperator(OperatorHarness harness) {
    h = harness;
    h.start();
    List<Case> cases = operatorCases().toList();
    for (Case c : cases) {
      h.namespace(c.namespace(), Map.of());
      for (String doc : c.setup()) {
        HasMetadata resource = Serialization.unmarshal(doc);
        resource.getMetadata().setNamespace(c.namespace());
        h.client.resource(resource).create();
      }
    }
    await("the JwtSecrets created first", () -> cases.stream().allMatch(c -> c.setup().stream()
        .filter(d -> d.contains("kind: JwtSecret")).allMatch(d -> keyOf(c.namespace(),
            Serialization.unmarshal(d, JwtSecret.class).getMetadata().getName()).isPresent())));
    for (Case c : cases) {
      secretsBefore.put(c.namespace(), secrets(c.namespace()));
      GenericKubernetesResource bad = Serialization.unmarshal(c.bad(), GenericKubernetesResource.class);
      bad.getMetadata().setNamespace(c.namespace());
      h.client.genericKubernetesResources(JwtSecret.GROUP + "/" + JwtSecret.VERSION, "JwtSecret")
          .inNamespace(c.namespace()).resource(bad).create();
      h.apply(JwtSecrets.named("fine").in(c.namespace()).production());
    }
    await("every malformed JwtSecret reported and every neighbour served", () -> cases.stream().allMatch(c ->
        reported(c).isPresent() && keyOf(c.namespace(), "fine").isPresent()));
    // One more look at each: a second reconcile writes nothing either.
    Map<String, Double> before = new HashMap<>();
    cases.forEach(c -> before.put(c.namespace(), successes(c.namespace())));
    cases.forEach(c -> h.poke(c.namespace(), "bad"));
    await("a reconcile of each after a poke", () -> cases.stream().allMatch(c -> successes(c.namespace()) > before.get(c.namespace())));
  }

  static double successes(String namespace) {
    return h.operator().metrics().registry().find("operator.sdk.reconciliations.success").tag("namespace", namespace)
        .tag("name", "bad").counters().stream().mapToDouble(Counter::count).sum();
  }

  static Optional<String> keyOf(String namespace, String name) {
    JwtSecret js = h.get(namespace, name);
    return Optional.ofNullable(js == null || js.getStatus() == null ? null : js.getStatus().keyId);
  }

  /** The condition the case expects, once the operator has set it. */
  static Optional<Condition> reported(Case c) {
    JwtSecret js = h.get(c.namespace(), "bad");
    Matcher m = c.expected();
    return Conditions.find(js == null || js.getStatus() == null ? null : js.getStatus().conditions, m.group(1))
        .filter(cond -> m.group(2).equals(cond.getStatus()) && m.group(3).equals(cond.getReason()));
  }

  static Map<String, String> secrets(String namespace) {
    return h.client.secrets().inNamespace(namespace).list().getItems().stream()
        .filter(s -> !"fine".equals(s.getMetadata().getName()))
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s.getMetadata().getResourceVersion()));
  }

  static void await(String what, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void theCatalogueHoldsThirtyCasesOrMoreEachSayingWhatIsWrongAndWhoCatchesIt() {
    List<Case> cases = catalogue();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30).allSatisfy(c -> {
      assertThat(c.who()).as(c.name()).isIn("schema", "operator", "schema and operator");
      assertThat(c.what()).as(c.name()).isNotBlank();
      assertThat(c.schemaRefuses()).as(c.name() + " has schema-expect").isEqualTo(c.schemaExpect() != null);
      assertThat(c.operatorReports()).as(c.name() + " has expect").isEqualTo(!c.who().equals("schema"));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaCases")
  void theSchemaRefusesIt(Case c) {
    assertThat(generatedSchema().validateYaml(c.bad())).as("schema errors").isNotEmpty()
        .anyMatch(e -> e.contains(c.schemaExpect()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operatorCases")
  void theOperatorReportsItWritesNothingAndServesTheRest(Case c) {
    String ns = c.namespace();
    if (!c.schemaRefuses()) {
      assertThat(generatedSchema().validateYaml(c.bad())).as("the schema lets it through, so the operator must catch it").isEmpty();
    }
    Matcher m = c.expected();
    JwtSecret bad = h.get(ns, "bad");
    Condition condition = reported(c).orElseThrow(() -> new AssertionError("no " + c.expect() + " in " + Serialization.asJson(bad.getStatus())));
    assertThat(condition.getMessage()).contains(m.group(4)).hasSizeLessThan(2048);
    assertThat(bad.getStatus().conditions).allSatisfy(k -> assertThat(k.getMessage()).hasSizeLessThan(2048));
    List<Event> warnings = h.events(ns).stream().filter(e -> "bad".equals(e.getInvolvedObject().getName())
        && "Warning".equals(e.getType()) && m.group(3).equals(e.getReason())).toList();
    assertThat(warnings).as("Warning events " + m.group(3)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(m.group(4)));

    if (c.written()) {
      Secret s = h.secret(ns, "bad");
      assertThat(s).as("the key is made all the same").isNotNull();
      assertThat(s.getData()).containsKey("jwt-secret-key");
    } else {
      assertThat(secrets(ns)).as("Secrets, untouched").isEqualTo(secretsBefore.get(ns));
      assertThat(bad.getStatus().keyId).isNull();
    }
    JwtSecret fine = h.get(ns, "fine");
    assertThat(Conditions.isTrue(fine.getStatus().conditions, Conditions.READY)).as("the neighbour is served").isTrue();
  }
}
