package io.photoapp.jwt.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.DeletionPolicy;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.KeySpec;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.RestartSpec;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.RotationSpec;
import io.photoapp.jwt.api.RotationStrategy;
import io.photoapp.jwt.api.SecretSpec;
import io.photoapp.jwt.api.SelectorOperator;
import io.photoapp.jwt.api.SelectorRequirement;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.api.TargetSelector;
import io.photoapp.jwt.api.TokenSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Defaults, parsing, and the problems the CRD schema cannot catch, each told in words a person can act on. */
class SpecResolverTest {

  // ---- defaults --------------------------------------------------------------------------------

  @Test
  void minimalSpecGetsEveryDefault() {
    EffectiveSpec spec = valid(jwtSecret("photoapp-jwt", s -> { }));
    assertEquals(Environment.PRODUCTION, spec.environment());
    assertEquals("photoapp-jwt", spec.secretName());
    assertEquals("jwt-secret-key", spec.dataKey());
    assertEquals("jwt-secret-key-previous", spec.previousDataKey());
    assertEquals("jwt-secret-key-next", spec.nextDataKey());
    assertEquals(DeletionPolicy.Retain, spec.deletionPolicy());
    assertFalse(spec.adopt());
    assertEquals(Algorithm.HS256, spec.algorithm());
    assertEquals(64, spec.length());
    assertEquals(Encoding.URLSAFE, spec.encoding());
    assertEquals(15, spec.tokenLifetimeMinutes());
    assertEquals("@every 4320h", spec.schedule().expression());
    assertEquals(ZoneOffset.UTC.normalized(), spec.schedule().zone().normalized());
    assertEquals(RotationStrategy.Staged, spec.strategy());
    assertEquals(Duration.ofMinutes(30), spec.gracePeriod());
    assertEquals(Duration.ofMinutes(2), spec.propagationDelay());
    assertEquals(Duration.ofMinutes(10), spec.rolloutTimeout());
    assertEquals(List.of(), spec.rotateAfter());
    assertEquals(List.of(), spec.invalidateBefore());
    assertFalse(spec.paused());
    assertEquals(List.of(), spec.targets());
    assertEquals(Duration.ofSeconds(30), spec.coalesce());
  }

  static Stream<Arguments> defaultLengths() {
    return Stream.of(
        argumentSet("HS256 urlsafe: 64", Algorithm.HS256, Encoding.URLSAFE, 64),
        argumentSet("HS384 urlsafe: 64", Algorithm.HS384, Encoding.URLSAFE, 64),
        argumentSet("HS512 urlsafe: 86", Algorithm.HS512, Encoding.URLSAFE, 86),
        argumentSet("HS512 base64: 86", Algorithm.HS512, Encoding.BASE64, 86),
        argumentSet("HS256 hex: 64", Algorithm.HS256, Encoding.HEX, 64),
        argumentSet("HS384 hex: 96", Algorithm.HS384, Encoding.HEX, 96),
        argumentSet("HS512 hex: 128", Algorithm.HS512, Encoding.HEX, 128),
        argumentSet("HS256 secure: 64", Algorithm.HS256, Encoding.SECURE, 64));
  }

  @ParameterizedTest
  @MethodSource("defaultLengths")
  void defaultLengthIs64OrWhatTheAlgorithmNeeds(Algorithm algorithm, Encoding encoding, int length) {
    EffectiveSpec spec = valid(jwtSecret("k", s -> s.key = key(algorithm, encoding, null)));
    assertEquals(length, spec.length());
    assertEquals(length, SpecResolver.defaultLength(algorithm, encoding));
  }

  @Test
  void explicitValuesWin() {
    EffectiveSpec spec = valid(jwtSecret("photoapp-jwt", s -> {
      s.secret = new SecretSpec();
      s.secret.name = "other-secret";
      s.secret.key = "KEY";
      s.secret.previousKey = "KEY_PREVIOUS";
      s.secret.nextKey = "KEY_NEXT";
      s.secret.deletionPolicy = DeletionPolicy.Delete;
      s.secret.adopt = true;
      s.key = key(Algorithm.HS512, Encoding.HEX, 200);
      s.token = new TokenSpec();
      s.token.accessTokenExpireMinutes = 5;
      s.rotation = rotation(r -> {
        r.schedule = "0 3 * * *";
        r.timeZone = "Europe/Berlin";
        r.strategy = RotationStrategy.Direct;
        r.gracePeriod = "1h30m";
        r.propagationDelay = "90s";
        r.rolloutTimeout = "20m";
        r.paused = true;
      });
    }));
    assertEquals("other-secret", spec.secretName());
    assertEquals("KEY,KEY_PREVIOUS,KEY_NEXT", spec.dataKeys());
    assertEquals(DeletionPolicy.Delete, spec.deletionPolicy());
    assertTrue(spec.adopt());
    assertEquals(200, spec.length());
    assertEquals(5, spec.tokenLifetimeMinutes());
    assertEquals("Europe/Berlin", spec.schedule().zone().getId());
    assertEquals(RotationStrategy.Direct, spec.strategy());
    assertEquals(Duration.ofMinutes(90), spec.gracePeriod());
    assertEquals(Duration.ofSeconds(90), spec.propagationDelay());
    assertEquals(Duration.ofMinutes(20), spec.rolloutTimeout());
    assertTrue(spec.paused());
  }

  @Test
  void blankStringsMeanTheDefault() {
    EffectiveSpec spec = valid(jwtSecret("photoapp-jwt", s -> {
      s.secret = new SecretSpec();
      s.secret.name = " ";
      s.secret.key = "";
      s.rotation = rotation(r -> {
        r.schedule = "";
        r.gracePeriod = " ";
      });
    }));
    assertEquals("photoapp-jwt", spec.secretName());
    assertEquals("jwt-secret-key", spec.dataKey());
    assertEquals("@every 4320h", spec.schedule().expression());
    assertEquals(Duration.ofMinutes(30), spec.gracePeriod());
  }

  static Stream<Arguments> effectiveGraces() {
    return Stream.of(
        argumentSet("grace 30m, tokens 15m: 30m", "30m", 15, Duration.ofMinutes(30)),
        argumentSet("grace 10m, tokens 15m: 15m", "10m", 15, Duration.ofMinutes(15)),
        argumentSet("grace 0s, tokens 60m: 60m", "0s", 60, Duration.ofMinutes(60)));
  }

  @ParameterizedTest
  @MethodSource("effectiveGraces")
  void previousKeyStaysTheLargerOfGraceAndTokenLifetime(String grace, int minutes, Duration effective) {
    EffectiveSpec spec = valid(jwtSecret("k", s -> {
      s.token = new TokenSpec();
      s.token.accessTokenExpireMinutes = minutes;
      s.rotation = rotation(r -> r.gracePeriod = grace);
    }));
    assertEquals(effective, spec.effectiveGrace());
  }

  // ---- requests --------------------------------------------------------------------------------

  @Test
  void requestsComeFromTheSpecAndFromAnnotations() {
    JwtSecret resource = jwtSecret("photoapp-jwt", s -> s.rotation = rotation(r -> {
      r.rotateAfter = "2026-12-01T03:00:00Z";
      r.invalidateBefore = "2026-11-28T09:00:00+01:00";
    }));
    resource.getMetadata().setAnnotations(Map.of(
        Labels.ROTATE_AFTER, "2026-12-05T10:15:30.5Z",
        Labels.INVALIDATE_BEFORE, "2026-11-29T00:00:00Z"));
    EffectiveSpec spec = valid(resource);
    assertEquals(List.of(Instant.parse("2026-12-01T03:00:00Z"), Instant.parse("2026-12-05T10:15:30.5Z")), spec.rotateAfter());
    assertEquals(List.of(Instant.parse("2026-11-28T08:00:00Z"), Instant.parse("2026-11-29T00:00:00Z")), spec.invalidateBefore());
  }

  @Test
  void annotationAloneIsARequest() {
    JwtSecret resource = jwtSecret("photoapp-jwt", s -> { });
    resource.getMetadata().setAnnotations(Map.of(Labels.ROTATE_AFTER, "2026-12-05T10:15:30Z", "unrelated", "x"));
    assertEquals(List.of(Instant.parse("2026-12-05T10:15:30Z")), valid(resource).rotateAfter());
    assertEquals(List.of(), valid(resource).invalidateBefore());
  }

  @Test
  void badAnnotationIsAProblemNamingTheAnnotation() {
    JwtSecret resource = jwtSecret("photoapp-jwt", s -> { });
    resource.getMetadata().setAnnotations(Map.of(Labels.INVALIDATE_BEFORE, "now"));
    List<String> problems = SpecResolver.resolve(resource).problems();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("annotation jwt.photoapp.io/invalidate-before \"now\" is not an RFC 3339 time"), problems.get(0));
  }

  // ---- restart targets -------------------------------------------------------------------------

  @Test
  void targetsByNameAndBySelectorAreKept() {
    EffectiveSpec spec = valid(jwtSecret("k", s -> s.restart = restart(
        target(TargetKind.Deployment, "photoapp-backend", null),
        target(TargetKind.StatefulSet, "photoapp-backend", null),
        target(TargetKind.Deployment, null, labels(Map.of("app", "photoapp"))),
        target(TargetKind.DaemonSet, null, expression("tier", SelectorOperator.Exists)))));
    assertEquals(4, spec.targets().size());
    assertEquals("photoapp-backend", spec.targets().get(0).name);
  }

  // ---- problems --------------------------------------------------------------------------------

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        argumentSet("missing environment", spec(s -> s.environment = null),
            "spec.environment is required: development, test or production"),
        argumentSet("bad Secret name", spec(s -> secret(s).name = "Bad_Name"),
            "spec.secret.name \"Bad_Name\" is not a valid Secret name"),
        argumentSet("Secret name over 253 characters", spec(s -> secret(s).name = "a".repeat(254)),
            "spec.secret.name is 254 characters long, more than 253"),
        argumentSet("data key over 253 characters", spec(s -> secret(s).previousKey = "k".repeat(254)),
            "spec.secret.previousKey is 254 characters long, more than 253"),
        argumentSet("bad data key", spec(s -> secret(s).key = "key/with/slashes"),
            "spec.secret.key \"key/with/slashes\" is not a valid Secret data key"),
        argumentSet("data key the operator writes itself", spec(s -> secret(s).nextKey = "jwks-secret.json"),
            "spec.secret.nextKey \"jwks-secret.json\" is a data key the operator writes itself"),
        argumentSet("current and previous key in one data key", spec(s -> secret(s).previousKey = "jwt-secret-key"),
            "spec.secret.key, previousKey and nextKey must be three different data keys"),
        argumentSet("key length 31", spec(s -> s.key = key(null, null, 31)), "spec.key.length 31 is outside 32..4096"),
        argumentSet("key length 4097", spec(s -> s.key = key(null, null, 4097)), "spec.key.length 4097 is outside 32..4096"),
        argumentSet("token lifetime 0", spec(s -> {
          s.token = new TokenSpec();
          s.token.accessTokenExpireMinutes = 0;
        }), "spec.token.accessTokenExpireMinutes must be at least 1"),
        argumentSet("cron of four fields", spec(s -> s.rotation = rotation(r -> r.schedule = "0 3 * *")),
            "spec.rotation: schedule \"0 3 * *\" is neither a 5-field cron expression nor \"@every <duration>\""),
        argumentSet("cron minute 61", spec(s -> s.rotation = rotation(r -> r.schedule = "61 3 * * *")),
            "spec.rotation: schedule \"61 3 * * *\" is not a valid cron expression"),
        argumentSet("cron that never fires", spec(s -> s.rotation = rotation(r -> r.schedule = "0 0 30 2 *")),
            "schedule \"0 0 30 2 *\" never fires"),
        argumentSet("@every without a duration", spec(s -> s.rotation = rotation(r -> r.schedule = "@every 5 minutes")),
            "\"5 minutes\" is not a duration such as 90s, 30m or 4320h"),
        argumentSet("@every under a second", spec(s -> s.rotation = rotation(r -> r.schedule = "@every 500ms")),
            "schedule \"@every 500ms\" is shorter than 1s"),
        argumentSet("unknown time zone", spec(s -> s.rotation = rotation(r -> {
          r.schedule = "0 3 * * *";
          r.timeZone = "Mars/Olympus_Mons";
        })), "time zone \"Mars/Olympus_Mons\" is not an IANA time zone such as UTC or Europe/Berlin"),
        argumentSet("grace period in words", spec(s -> s.rotation = rotation(r -> r.gracePeriod = "5 minutes")),
            "spec.rotation.gracePeriod: \"5 minutes\" is not a duration"),
        argumentSet("grace period in days", spec(s -> s.rotation = rotation(r -> r.gracePeriod = "1d")),
            "spec.rotation.gracePeriod: \"1d\" is not a duration"),
        argumentSet("propagation delay without unit", spec(s -> s.rotation = rotation(r -> r.propagationDelay = "120")),
            "spec.rotation.propagationDelay: \"120\" is not a duration"),
        argumentSet("rollout timeout of 0s", spec(s -> s.rotation = rotation(r -> r.rolloutTimeout = "0s")),
            "spec.rotation.rolloutTimeout must be longer than 0s"),
        argumentSet("coalesce without unit", spec(s -> s.restart = coalesce("30")),
            "spec.restart.coalesce: \"30\" is not a duration such as 90s, 30m or 4320h; 0s never waits"),
        argumentSet("coalesce over 10m", spec(s -> s.restart = coalesce("11m")),
            "spec.restart.coalesce \"11m\" is longer than 10m: a stage would wait that long for other JwtSecrets; use 0s to never wait"),
        argumentSet("rotateAfter \"tomorrow\"", spec(s -> s.rotation = rotation(r -> r.rotateAfter = "tomorrow")),
            "spec.rotation.rotateAfter \"tomorrow\" is not an RFC 3339 time such as 2026-12-01T03:00:00Z"),
        argumentSet("invalidateBefore in month 13", spec(s -> s.rotation = rotation(r -> r.invalidateBefore = "2026-13-01T00:00:00Z")),
            "spec.rotation.invalidateBefore \"2026-13-01T00:00:00Z\" is not an RFC 3339 time"),
        argumentSet("invalidateBefore without offset", spec(s -> s.rotation = rotation(r -> r.invalidateBefore = "2026-12-01T00:00:00")),
            "spec.rotation.invalidateBefore \"2026-12-01T00:00:00\" is not an RFC 3339 time"),
        argumentSet("target without kind", spec(s -> s.restart = restart(target(null, "photoapp-backend", null))),
            "spec.restart.targets[0].kind is required: Deployment, StatefulSet, DaemonSet or Rollout"),
        argumentSet("target without name and selector", spec(s -> s.restart = restart(target(TargetKind.Deployment, null, null))),
            "spec.restart.targets[0] needs exactly one of name or selector"),
        argumentSet("target with name and selector", spec(s -> s.restart = restart(
            target(TargetKind.Deployment, "photoapp-backend", labels(Map.of("app", "photoapp"))))),
            "spec.restart.targets[0] needs exactly one of name or selector"),
        argumentSet("target with an empty selector", spec(s -> s.restart = restart(target(TargetKind.Deployment, null, new TargetSelector()))),
            "spec.restart.targets[0].selector must not be empty"),
        argumentSet("target with a bad name", spec(s -> s.restart = restart(target(TargetKind.Deployment, "Photoapp", null))),
            "spec.restart.targets[0].name \"Photoapp\" is not a valid workload name"),
        argumentSet("target name over 253 characters", spec(s -> s.restart = restart(target(TargetKind.Deployment, "a".repeat(254), null))),
            "spec.restart.targets[0].name is 254 characters long, more than 253"),
        argumentSet("33 targets", spec(s -> s.restart = restart(java.util.stream.IntStream.range(0, 33)
            .mapToObj(i -> target(TargetKind.Deployment, "backend-" + i, null)).toArray(RestartTarget[]::new))),
            "spec.restart.targets has 33 targets, more than 32"),
        argumentSet("17 labels in a selector", spec(s -> s.restart = restart(target(TargetKind.Deployment, null,
            labels(java.util.stream.IntStream.range(0, 17).boxed().collect(java.util.stream.Collectors.toMap(i -> "l" + i, i -> "v")))))),
            "spec.restart.targets[0].selector.matchLabels has 17 labels, more than 16"),
        argumentSet("a label value of 64 characters", spec(s -> s.restart = restart(target(TargetKind.Deployment, null,
            labels(Map.of("app", "v".repeat(64)))))),
            "spec.restart.targets[0].selector.matchLabels has a value of 64 characters, more than 63"),
        argumentSet("17 selector expressions", spec(s -> s.restart = restart(target(TargetKind.Deployment, null,
            expressions(17, 1, 1)))),
            "spec.restart.targets[0].selector.matchExpressions has 17 expressions, more than 16"),
        argumentSet("65 values in an expression", spec(s -> s.restart = restart(target(TargetKind.Deployment, null,
            expressions(1, 65, 1)))),
            "spec.restart.targets[0].selector.matchExpressions[0].values has 65 values, more than 64"),
        argumentSet("an expression value of 64 characters", spec(s -> s.restart = restart(target(TargetKind.Deployment, null,
            expressions(1, 1, 64)))),
            "spec.restart.targets[0].selector.matchExpressions[0].values[0] is 64 characters long, more than 63"),
        argumentSet("schedule of 65 characters", spec(s -> s.rotation = rotation(r -> r.schedule = "0 3 * * *" + " ".repeat(56))),
            "spec.rotation.schedule is 65 characters long, more than 64"),
        argumentSet("time zone of 65 characters", spec(s -> s.rotation = rotation(r -> r.timeZone = "Europe/" + "x".repeat(58))),
            "spec.rotation.timeZone is 65 characters long, more than 64"),
        argumentSet("grace period of 65 characters", spec(s -> s.rotation = rotation(r -> r.gracePeriod = "1".repeat(64) + "s")),
            "spec.rotation.gracePeriod is 65 characters long, more than 64"),
        argumentSet("rotateAfter of 65 characters", spec(s -> s.rotation = rotation(r -> r.rotateAfter = "2026-12-01T03:00:00." + "0".repeat(44) + "Z")),
            "spec.rotation.rotateAfter is not an RFC 3339 time: it is 65 characters long, more than 64"),
        argumentSet("the same target twice", spec(s -> s.restart = restart(
            target(TargetKind.Deployment, "photoapp-backend", null),
            target(TargetKind.Deployment, "photoapp-backend", null))),
            "spec.restart.targets[1] repeats an earlier target (Deployment photoapp-backend)"),
        argumentSet("the same selector twice", spec(s -> s.restart = restart(
            target(TargetKind.Deployment, null, labels(Map.of("app", "photoapp"))),
            target(TargetKind.Deployment, null, labels(Map.of("app", "photoapp"))))),
            "spec.restart.targets[1] repeats an earlier target (Deployment selector)"));
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void invalidSpecIsAProblemNotAnException(JwtSecret resource, String expected) {
    SpecResolver.Result result = SpecResolver.resolve(resource);
    assertFalse(result.valid());
    // Broken rotation settings, requests or targets leave a degraded spec (the Secret can still be
    // read and retired); a broken environment, Secret or key leaves none.
    String problem = result.problems().get(0);
    boolean degraded = problem.startsWith("spec.rotation") || problem.startsWith("annotation")
        || problem.startsWith("spec.restart");
    assertEquals(degraded, result.spec() != null, "spec " + (degraded ? "kept" : "dropped") + " for " + expected);
    assertEquals(1, result.problems().size(), result.problems().toString());
    assertTrue(result.problems().get(0).contains(expected), "expected \"" + expected + "\" in " + result.problems());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<String> problems = SpecResolver.resolve(jwtSecret("k", s -> {
      s.environment = null;
      s.key = key(null, null, 20);
      s.rotation = rotation(r -> {
        r.schedule = "every day";
        r.gracePeriod = "soon";
      });
    })).problems();
    assertEquals(4, problems.size(), problems.toString());
  }

  @Test
  void sameTargetKindAndNameUnderDifferentKindsIsNotARepeat() {
    valid(jwtSecret("k", s -> s.restart = restart(
        target(TargetKind.Deployment, "photoapp-backend", null),
        target(TargetKind.StatefulSet, "photoapp-backend", null))));
  }

  @Test
  void missingSpecIsAProblem() {
    JwtSecret resource = jwtSecret("k", s -> { });
    resource.setSpec(null);
    assertEquals(List.of("spec is missing"), SpecResolver.resolve(resource).problems());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static EffectiveSpec valid(JwtSecret resource) {
    SpecResolver.Result result = SpecResolver.resolve(resource);
    assertEquals(List.of(), result.problems());
    assertTrue(result.valid());
    return result.spec();
  }

  private static JwtSecret spec(Consumer<JwtSecretSpec> customize) {
    return jwtSecret("photoapp-jwt", customize);
  }

  private static JwtSecret jwtSecret(String name, Consumer<JwtSecretSpec> customize) {
    JwtSecret resource = new JwtSecret();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("photoapp").build());
    JwtSecretSpec spec = new JwtSecretSpec();
    spec.environment = Environment.PRODUCTION;
    customize.accept(spec);
    resource.setSpec(spec);
    return resource;
  }

  private static SecretSpec secret(JwtSecretSpec spec) {
    if (spec.secret == null) {
      spec.secret = new SecretSpec();
    }
    return spec.secret;
  }

  private static KeySpec key(Algorithm algorithm, Encoding encoding, Integer length) {
    KeySpec key = new KeySpec();
    key.algorithm = algorithm;
    key.encoding = encoding;
    key.length = length;
    return key;
  }

  private static RotationSpec rotation(Consumer<RotationSpec> customize) {
    RotationSpec rotation = new RotationSpec();
    customize.accept(rotation);
    return rotation;
  }

  private static RestartSpec restart(RestartTarget... targets) {
    RestartSpec restart = new RestartSpec();
    restart.targets = new ArrayList<>(List.of(targets));
    return restart;
  }

  private static RestartTarget target(TargetKind kind, String name, TargetSelector selector) {
    RestartTarget target = new RestartTarget();
    target.kind = kind;
    target.name = name;
    target.selector = selector;
    return target;
  }

  private static TargetSelector labels(Map<String, String> labels) {
    TargetSelector selector = new TargetSelector();
    selector.matchLabels = new LinkedHashMap<>(labels);
    return selector;
  }

  /** A selector of {@code count} In expressions, each of {@code values} values of {@code length} characters. */
  private static TargetSelector expressions(int count, int values, int length) {
    TargetSelector selector = new TargetSelector();
    selector.matchExpressions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SelectorRequirement requirement = new SelectorRequirement();
      requirement.key = "tier-" + i;
      requirement.operator = SelectorOperator.In;
      requirement.values = java.util.stream.IntStream.range(0, values)
          .mapToObj(j -> (j + "v".repeat(length)).substring(0, length)).toList();
      selector.matchExpressions.add(requirement);
    }
    return selector;
  }

  private static TargetSelector expression(String key, SelectorOperator operator) {
    SelectorRequirement requirement = new SelectorRequirement();
    requirement.key = key;
    requirement.operator = operator;
    TargetSelector selector = new TargetSelector();
    selector.matchExpressions = List.of(requirement);
    return selector;
  }

  static io.photoapp.jwt.api.RestartSpec coalesce(String duration) {
    io.photoapp.jwt.api.RestartSpec r = new io.photoapp.jwt.api.RestartSpec();
    r.coalesce = duration;
    return r;
  }

  @Test
  void coalesceOfZeroNeverWaitsAndTenMinutesIsTheLongest() {
    assertEquals(Duration.ZERO, SpecResolver.resolve(spec(s -> s.restart = coalesce("0s"))).spec().coalesce());
    SpecResolver.Result longest = SpecResolver.resolve(spec(s -> s.restart = coalesce("10m")));
    assertEquals(List.of(), longest.problems());
    assertEquals(Duration.ofMinutes(10), longest.spec().coalesce());
  }
}
