package io.photoapp.jwt.audit;

import static io.photoapp.jwt.audit.Pods.STRONG;
import static io.photoapp.jwt.audit.Pods.container;
import static io.photoapp.jwt.audit.Pods.deployment;
import static io.photoapp.jwt.audit.Pods.envFrom;
import static io.photoapp.jwt.audit.Pods.fromSecret;
import static io.photoapp.jwt.audit.Pods.literal;
import static io.photoapp.jwt.audit.Pods.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.testing.JwtSecrets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@code jwtsecret_workload_findings} counts, from the operator's cached workloads and JwtSecrets. */
class WorkloadFindingCountsTest {
  static JwtSecret jwtSecret(String namespace, String name, String environment, String keyId) {
    JwtSecret js = JwtSecrets.named(name).in(namespace).environment(Environment.parse(environment).orElseThrow()).build();
    js.setStatus(new JwtSecretStatus());
    js.getStatus().keyId = keyId;
    return js;
  }

  static final WorkloadFacts DEBUG = deployment("photoapp", "backend", spec(container("api", literal("DEBUG", "true"),
      fromSecret("JWT_SECRET_KEY", "photoapp-jwt", "jwt-secret-key"))));
  static final WorkloadFacts LITERAL = deployment("staging", "backend", spec(container("api", literal("JWT_SECRET", STRONG))));
  static final String LITERAL_ID = LITERAL.containers().get(0).literalKeys().get(0).keyId();

  static Stream<Arguments> counts() {
    Function<String, Optional<Environment>> noLabels = ns -> Optional.empty();
    return Stream.of(
        Arguments.of("debug where a JwtSecret is production", List.of(DEBUG),
            List.of(jwtSecret("photoapp", "photoapp-jwt", "production", null)), noLabels, Map.of("photoapp/DebugInProduction", 1)),
        Arguments.of("debug where the JwtSecret is development", List.of(DEBUG),
            List.of(jwtSecret("photoapp", "photoapp-jwt", "development", null)), noLabels, Map.of()),
        Arguments.of("the namespace label raises it", List.of(DEBUG),
            List.of(jwtSecret("photoapp", "photoapp-jwt", "development", null)),
            (Function<String, Optional<Environment>>) ns -> Optional.of(Environment.PRODUCTION),
            Map.of("photoapp/DebugInProduction", 1)),
        Arguments.of("a key read from a Secret no JwtSecret manages", List.of(DEBUG), List.of(), noLabels,
            Map.of("photoapp/UnmanagedKeySource", 1)),
        Arguments.of("a whole Secret read is not judged (no unmanaged Secret is cached)",
            List.of(deployment("photoapp", "w", spec(envFrom("api", "legacy")))), List.of(), noLabels, Map.of()),
        Arguments.of("a literal that a JwtSecret of another namespace holds", List.of(LITERAL),
            List.of(jwtSecret("photoapp", "photoapp-jwt", "production", LITERAL_ID)), noLabels,
            Map.of("staging/LiteralSecretInPodSpec", 1, "staging/duplicate-key", 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void counts(String name, List<WorkloadFacts> workloads, List<JwtSecret> jwtSecrets,
      Function<String, Optional<Environment>> labels, Map<String, Integer> expected) {
    Map<WorkloadFindingCounts.Key, Integer> counts = WorkloadFindingCounts.count(workloads, jwtSecrets, labels);

    assertThat(counts).hasSize(expected.size());
    counts.forEach((k, v) -> assertThat(expected.get(k.namespace() + "/" + k.rule())).as(k.toString()).isEqualTo(v));
  }
}
