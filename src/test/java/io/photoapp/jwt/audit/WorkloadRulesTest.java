package io.photoapp.jwt.audit;

import static io.photoapp.jwt.audit.Pods.STRONG;
import static io.photoapp.jwt.audit.Pods.container;
import static io.photoapp.jwt.audit.Pods.deployment;
import static io.photoapp.jwt.audit.Pods.envFrom;
import static io.photoapp.jwt.audit.Pods.fromSecret;
import static io.photoapp.jwt.audit.Pods.literal;
import static io.photoapp.jwt.audit.Pods.secretVolume;
import static io.photoapp.jwt.audit.Pods.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.policy.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadRulesTest {
  static final NamespaceContext PRODUCTION = new NamespaceContext("photoapp", Optional.of(Environment.PRODUCTION),
      Set.of("photoapp-jwt"), s -> s.equals("legacy-env"));
  static final NamespaceContext TEST = new NamespaceContext("staging", Optional.of(Environment.TEST),
      Set.of("photoapp-jwt"), s -> false);
  static final NamespaceContext NONE = new NamespaceContext("tools", Optional.empty(), Set.of(), s -> false);

  /** "rule@container/variable" of each finding, and "secret=NAME" for a Secret named. */
  private static List<String> summary(List<WorkloadFinding> findings) {
    return findings.stream().map(f -> f.finding().rule() + "@" + f.container() + "/" + f.variable()
        + (f.secret() == null ? "" : " secret=" + f.secret())).toList();
  }

  static Stream<Arguments> literalKeys() {
    return Stream.of(
        Arguments.of("a placeholder literal", spec(container("api", literal("JWT_SECRET_KEY", "super-secret-key"))),
            List.of("LiteralSecretInPodSpec@api/JWT_SECRET_KEY", "weak-key@api/JWT_SECRET_KEY",
                "minimum-length@api/JWT_SECRET_KEY", "entropy@api/JWT_SECRET_KEY")),
        Arguments.of("a strong literal is still in the manifest", spec(container("api", literal("jwtSecret", STRONG))),
            List.of("LiteralSecretInPodSpec@api/jwtSecret")),
        Arguments.of("a short random literal", spec(container("worker", literal("JWT_SECRET", "k3Hq9-Zt1aQ9wLp0sXr2"))),
            List.of("LiteralSecretInPodSpec@worker/JWT_SECRET", "minimum-length@worker/JWT_SECRET", "entropy@worker/JWT_SECRET")),
        Arguments.of("a reference is no literal", spec(container("api", fromSecret("JWT_SECRET_KEY", "photoapp-jwt",
            "jwt-secret-key"))), List.of()),
        Arguments.of("a variable naming the key's file holds a path", spec(container("api",
            literal("JWT_SECRET_KEY_FILE", "/var/run/secrets/jwt/jwt-secret-key"), literal("JWT_SECRET_PATH", "/keys"))),
            List.of()),
        Arguments.of("an empty value holds no key", spec(container("api", literal("JWT_SECRET_KEY", ""))), List.of()),
        Arguments.of("other names are not keys", spec(container("api", literal("JWT_ALGORITHM", "HS256"),
            literal("DATABASE_PASSWORD", "password123"))), List.of()),
        Arguments.of("init containers too", new io.fabric8.kubernetes.api.model.PodSpecBuilder()
            .withInitContainers(container("migrate", literal("JWT_KEY", STRONG))).withContainers(container("api")).build(),
            List.of("LiteralSecretInPodSpec@migrate/JWT_KEY")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void literalKeys(String name, PodSpec spec, List<String> expected) {
    List<WorkloadFinding> findings = WorkloadRules.literalKeys(deployment("photoapp", "backend", spec));

    assertThat(summary(findings)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(findings).filteredOn(f -> f.finding().rule().equals(WorkloadRules.LITERAL_SECRET))
        .allSatisfy(f -> assertThat(f.finding().message()).contains("Deployment backend", "container " + f.container(),
            f.variable()));
    assertThat(findings).allSatisfy(f -> {
      assertThat(f.finding().severity()).isEqualTo(Severity.VIOLATION);
      assertThat(f.keyId()).hasSize(16);
      assertThat(f.finding().message()).doesNotContain("super-secret-key", STRONG, "k3Hq9-Zt1aQ9wLp0sXr2");
    });
  }

  static Stream<Arguments> unmanagedKeySources() {
    return Stream.of(
        Arguments.of("the JwtSecret's Secret", spec(container("api", fromSecret("JWT_SECRET_KEY", "photoapp-jwt",
            "jwt-secret-key"))), List.of()),
        Arguments.of("another Secret by variable name", spec(container("api", fromSecret("JWT_SECRET_KEY", "hand-made",
            "key"))), List.of("UnmanagedKeySource@api/JWT_SECRET_KEY secret=hand-made")),
        Arguments.of("another Secret by data key", spec(container("api", fromSecret("SIGNING", "hand-made",
            "jwt-secret"))), List.of("UnmanagedKeySource@api/SIGNING secret=hand-made")),
        Arguments.of("a Secret read for something else", spec(container("api", fromSecret("DB_PASSWORD", "db",
            "password"))), List.of()),
        Arguments.of("envFrom a Secret with a JWT key", spec(envFrom("api", "legacy-env")),
            List.of("UnmanagedKeySource@api/null secret=legacy-env")),
        Arguments.of("envFrom a Secret without one", spec(envFrom("api", "db")), List.of()),
        Arguments.of("a volume item that looks like a key", spec(List.of(secretVolume("keys", "hand-made", "jwt_key")),
            container("api")), List.of("UnmanagedKeySource@null/null secret=hand-made")),
        Arguments.of("a volume of the JwtSecret's Secret", spec(List.of(secretVolume("keys", "photoapp-jwt")),
            container("api")), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void unmanagedKeySources(String name, PodSpec spec, List<String> expected) {
    List<WorkloadFinding> findings = WorkloadRules.unmanagedKeySources(deployment("photoapp", "backend", spec), PRODUCTION);

    assertThat(summary(findings)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(findings).allSatisfy(f -> {
      assertThat(f.finding().severity()).isEqualTo(Severity.WARNING);
      assertThat(f.finding().message()).contains("Secret " + f.secret(), "which no JwtSecret manages");
    });
  }

  static Stream<Arguments> production() {
    return Stream.of(
        Arguments.of("DEBUG=true in production", PRODUCTION, literal("DEBUG", "true"), List.of("DebugInProduction@api/DEBUG")),
        Arguments.of("DEBUG=1 in production", PRODUCTION, literal("DEBUG", "1"), List.of("DebugInProduction@api/DEBUG")),
        Arguments.of("FLASK_DEBUG=True in production", PRODUCTION, literal("FLASK_DEBUG", "True"),
            List.of("DebugInProduction@api/FLASK_DEBUG")),
        Arguments.of("DEBUG=false in production", PRODUCTION, literal("DEBUG", "false"), List.of()),
        Arguments.of("DEBUG=true in test", TEST, literal("DEBUG", "true"), List.of()),
        Arguments.of("DEBUG=true with no environment", NONE, literal("DEBUG", "true"), List.of()),
        Arguments.of("240 minutes in production", PRODUCTION, literal("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "240"),
            List.of("TokenLifetimeTooLong@api/JWT_ACCESS_TOKEN_EXPIRE_MINUTES")),
        Arguments.of("60 minutes in production", PRODUCTION, literal("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "60"), List.of()),
        Arguments.of("240 minutes in test", TEST, literal("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "240"), List.of()),
        Arguments.of("a lifetime that is no number", PRODUCTION, literal("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "4h"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void production(String name, NamespaceContext ns, io.fabric8.kubernetes.api.model.EnvVar env, List<String> expected) {
    List<WorkloadFinding> findings = WorkloadRules.production(
        WorkloadFacts.of("CronJob", ns.namespace(), "nightly", spec(container("api", env))), ns);

    assertThat(summary(findings)).containsExactlyElementsOf(expected);
    assertThat(findings).allSatisfy(f -> assertThat(f.finding().message()).contains("CronJob nightly", "container api"));
  }

  @Test
  void aDebugSettingFromASecretIsNotRead() {
    WorkloadFacts w = deployment("photoapp", "backend", spec(container("api", fromSecret("DEBUG", "flags", "debug"))));

    assertThat(WorkloadRules.production(w, PRODUCTION)).isEmpty();
  }

  static Stream<Arguments> sharedKeys() {
    WorkloadFacts prodA = deployment("photoapp", "backend", spec(container("api", literal("JWT_SECRET_KEY", STRONG))));
    WorkloadFacts prodB = deployment("photoapp", "worker", spec(container("w", literal("JWT_SECRET_KEY", STRONG))));
    WorkloadFacts staging = deployment("staging", "backend", spec(container("api", literal("JWT_SECRET", STRONG))));
    WorkloadFacts other = deployment("staging", "other", spec(container("api", literal("JWT_SECRET", STRONG + "x"))));
    String keyId = prodA.containers().get(0).literalKeys().get(0).keyId();
    return Stream.of(
        Arguments.of("two workloads of one namespace", List.of(prodA, prodB), Map.of(), List.of()),
        Arguments.of("two namespaces", List.of(prodA, staging, other), Map.of(),
            List.of("photoapp/backend: Deployment staging/backend", "staging/backend: Deployment photoapp/backend")),
        Arguments.of("a JwtSecret's key in another namespace", List.of(staging),
            Map.of(keyId, List.of(new WorkloadRules.Holder("photoapp", "JwtSecret photoapp/photoapp-jwt"))),
            List.of("staging/backend: JwtSecret photoapp/photoapp-jwt")),
        Arguments.of("a JwtSecret's key in the same namespace", List.of(prodA),
            Map.of(keyId, List.of(new WorkloadRules.Holder("photoapp", "JwtSecret photoapp/photoapp-jwt"))), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void sharedKeys(String name, List<WorkloadFacts> workloads, Map<String, List<WorkloadRules.Holder>> managed,
      List<String> expected) {
    List<WorkloadFinding> findings = WorkloadRules.sharedKeys(workloads, managed);

    assertThat(findings).extracting(f -> f.namespace() + "/" + f.name() + ": "
            + f.finding().message().replaceAll(".* is the same key as in (.*); every.*", "$1"))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(findings).allSatisfy(f -> {
      assertThat(f.finding().rule()).isEqualTo("duplicate-key");
      assertThat(f.finding().message()).doesNotContain(STRONG);
    });
  }

  @Test
  void judgeAppliesEveryRuleButTheSharedKeys() {
    WorkloadFacts w = deployment("photoapp", "backend", spec(container("api", literal("JWT_SECRET_KEY", STRONG),
        literal("DEBUG", "true"), fromSecret("OLD_JWT_SECRET", "hand-made", "key"))));

    assertThat(summary(WorkloadRules.judge(w, PRODUCTION))).containsExactly("LiteralSecretInPodSpec@api/JWT_SECRET_KEY",
        "UnmanagedKeySource@api/OLD_JWT_SECRET secret=hand-made", "DebugInProduction@api/DEBUG");
  }

  static Stream<Arguments> effectiveEnvironment() {
    return Stream.of(
        Arguments.of("no JwtSecret, no label", List.of(), null, null),
        Arguments.of("the label alone", List.of(), Environment.PRODUCTION, Environment.PRODUCTION),
        Arguments.of("the strictest JwtSecret", List.of(Environment.DEVELOPMENT, Environment.PRODUCTION), null,
            Environment.PRODUCTION),
        Arguments.of("the label raises", List.of(Environment.DEVELOPMENT), Environment.TEST, Environment.TEST),
        Arguments.of("the label never lowers", List.of(Environment.PRODUCTION), Environment.TEST, Environment.PRODUCTION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void effectiveEnvironment(String name, List<Environment> jwtSecrets, Environment label, Environment expected) {
    assertThat(NamespaceContext.effective(jwtSecrets, Optional.ofNullable(label))).isEqualTo(Optional.ofNullable(expected));
  }
}
