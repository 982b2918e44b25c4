package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Secrets;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * Scenario tests against the mock API server and the real operator: one harness per test class,
 * one namespace per test, and a {@link LeakGuard} that fails a test whose keys show in status,
 * Events or log lines.
 */
@MockApiServer(harness = Lifecycle.PER_CLASS)
abstract class OperatorScenario {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  static OperatorHarness h;
  LeakGuard leaks;
  /** This test's namespace. */
  String ns;

  @BeforeAll
  static void startOperator(OperatorHarness harness) {
    h = harness;
    h.start();
  }

  @BeforeEach
  void namespace(TestInfo test, LeakGuard guard) {
    leaks = guard;
    ns = namespaceFor(test);
    h.namespace(ns, namespaceLabels());
  }

  /** Labels of each test's namespace. */
  Map<String, String> namespaceLabels() {
    return Map.of();
  }

  private static String namespaceFor(TestInfo test) {
    String method = test.getTestMethod().map(m -> m.getName()).orElse("t")
        .replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    String prefix = method.length() > 40 ? method.substring(0, 40) : method;
    return prefix.replaceAll("[^a-z0-9-]", "-").replaceAll("-+$", "") + "-" + NAMESPACES.incrementAndGet();
  }

  JwtSecret apply(String yaml) {
    return h.apply(yaml.replace("${ns}", ns));
  }

  /** Creates a JwtSecret; in this test's namespace unless the builder names another. */
  JwtSecret apply(JwtSecrets jwtSecret) {
    return h.apply(jwtSecret.namespace() == null ? jwtSecret.copy().in(ns) : jwtSecret);
  }

  /** Creates a Secret; in this test's namespace unless the builder names another. */
  Secret create(Secrets secret) {
    return h.create(secret.namespace() == null ? secret.in(ns) : secret);
  }

  JwtSecret awaitStatus(String name, java.util.function.Predicate<JwtSecret> condition) {
    return h.awaitStatus(ns, name, condition);
  }

  JwtSecret awaitCondition(String name, String type, String status, String reason) {
    return awaitStatus(name, js -> condition(js, type).filter(c -> status.equals(c.getStatus())
        && reason.equals(c.getReason())).isPresent());
  }

  Secret secret(String name) {
    return h.secret(ns, name);
  }

  String key(String secretName, String dataKey) {
    return OperatorHarness.data(secret(secretName), dataKey);
  }

  static Optional<Condition> condition(JwtSecret js, String type) {
    return Conditions.find(js.getStatus() == null ? null : js.getStatus().conditions, type);
  }

  static Condition conditionOf(JwtSecret js, String type) {
    return condition(js, type).orElseThrow(() -> new AssertionError("no condition " + type));
  }

  List<Event> events(String involvedName) {
    return h.events(ns).stream().filter(e -> involvedName.equals(e.getInvolvedObject().getName())).toList();
  }

  List<Event> events(String involvedName, String type, String reason) {
    return events(involvedName).stream().filter(e -> type.equals(e.getType()) && reason.equals(e.getReason())).toList();
  }

  /** Every data value of a Secret decoded, and every key inside its JWK set: where a key could hide. */
  static List<String> everyValueIn(Secret s) {
    List<String> values = new ArrayList<>();
    s.getData().forEach((name, base64) -> {
      String text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
      values.add(text);
      if (name.endsWith(".json")) {
        try {
          JWKSet.parse(text).getKeys().forEach(k -> values.add(
              new String(((OctetSequenceKey) k).toByteArray(), StandardCharsets.UTF_8)));
        } catch (ParseException e) {
          throw new AssertionError("jwks-secret.json is not a JWK set", e);
        }
      }
    });
    return values;
  }

  /** Every condition has the standard shape, for the given generation. */
  static void assertStandardShape(JwtSecret js) {
    assertThat(js.getStatus().conditions).isNotEmpty().allSatisfy(c -> {
      assertThat(c.getType()).isNotBlank();
      assertThat(c.getStatus()).isIn("True", "False", "Unknown");
      assertThat(c.getReason()).matches("[A-Z][A-Za-z]*");
      assertThat(c.getMessage()).isNotBlank();
      assertThat(Instant.parse(c.getLastTransitionTime())).isNotNull();
      assertThat(c.getObservedGeneration()).isEqualTo(js.getMetadata().getGeneration());
    });
  }
}
