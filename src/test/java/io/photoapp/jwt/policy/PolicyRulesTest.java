package io.photoapp.jwt.policy;

import static io.photoapp.jwt.api.Environment.DEVELOPMENT;
import static io.photoapp.jwt.api.Environment.PRODUCTION;
import static io.photoapp.jwt.api.Environment.TEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.KeySpec;
import io.photoapp.jwt.api.RotationSpec;
import io.photoapp.jwt.api.TokenSpec;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The profile rules of DESIGN section 5, one table per rule. */
class PolicyRulesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  /** Seeded, so that a table never meets a once-in-a-million random key. */
  private static final KeyGenerator KEYS = new KeyGenerator(seeded(20260601L));

  // ---- profiles --------------------------------------------------------------------------------

  static Stream<Arguments> profiles() {
    return Stream.of(
        argumentSet("development", DEVELOPMENT, 32, 60, Optional.empty(), Optional.empty(), false),
        argumentSet("test", TEST, 32, 60, Optional.empty(), Optional.empty(), false),
        argumentSet("production", PRODUCTION, 64, 60, Optional.of(15), Optional.of(Duration.ofDays(180)), true));
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void profileHoldsTheTableOfDesignSection5(Environment environment, int minimumLength, int maxTokenMinutes,
      Optional<Integer> recommendedTokenMinutes, Optional<Duration> maxInterval, boolean graceViolation) {
    Profile profile = Profile.of(environment);
    assertEquals(environment, profile.environment());
    assertEquals(minimumLength, profile.minimumLength());
    assertEquals(maxTokenMinutes, profile.maxTokenMinutes());
    assertEquals(recommendedTokenMinutes, profile.recommendedTokenMinutes());
    assertEquals(maxInterval, profile.maxRotationInterval());
    assertEquals(graceViolation, profile.graceShorterThanLifetimeIsViolation());
  }

  static Stream<Arguments> namespaceMinimums() {
    return Stream.of(
        argumentSet("development in a production namespace follows production", DEVELOPMENT, Optional.of(PRODUCTION), PRODUCTION),
        argumentSet("test in a production namespace follows production", TEST, Optional.of(PRODUCTION), PRODUCTION),
        argumentSet("development in a test namespace follows test", DEVELOPMENT, Optional.of(TEST), TEST),
        argumentSet("production in a development namespace stays production", PRODUCTION, Optional.of(DEVELOPMENT), PRODUCTION),
        argumentSet("test without a namespace minimum stays test", TEST, Optional.empty(), TEST));
  }

  @ParameterizedTest
  @MethodSource("namespaceMinimums")
  void namespaceMinimumRaisesTheProfileNeverLowersIt(Environment declared, Optional<Environment> minimum, Environment effective) {
    assertEquals(Profile.of(effective), Profile.effective(declared, minimum));
  }

  @Test
  void developmentKeyOf32CharactersBreaksTheProductionMinimumOfItsNamespace() {
    String key = KEYS.generate(Encoding.URLSAFE, 48).reveal();
    assertFalse(rules(PolicyRules.judgeKey(key, Algorithm.HS256, Profile.effective(DEVELOPMENT, Optional.empty())))
        .contains(Finding.MINIMUM_LENGTH));
    assertTrue(rules(PolicyRules.judgeKey(key, Algorithm.HS256, Profile.effective(DEVELOPMENT, Optional.of(PRODUCTION))))
        .contains(Finding.MINIMUM_LENGTH));
  }

  // ---- minimum length --------------------------------------------------------------------------

  static Stream<Arguments> minimumLengths() {
    return Stream.of(
        argumentSet("development accepts 32", DEVELOPMENT, 32, false),
        argumentSet("development refuses 31", DEVELOPMENT, 31, true),
        argumentSet("test accepts 32", TEST, 32, false),
        argumentSet("test refuses 31", TEST, 31, true),
        argumentSet("production accepts 64", PRODUCTION, 64, false),
        argumentSet("production refuses 63", PRODUCTION, 63, true),
        argumentSet("production refuses 32", PRODUCTION, 32, true));
  }

  @ParameterizedTest
  @MethodSource("minimumLengths")
  void existingKeyShorterThanTheProfileMinimumIsAViolation(Environment environment, int length, boolean violation) {
    String key = KEYS.generate(Encoding.URLSAFE, 64).reveal().substring(0, length);
    List<Finding> findings = PolicyRules.judgeKey(key, Algorithm.HS256, Profile.of(environment));
    assertEquals(violation, hasViolation(findings, Finding.MINIMUM_LENGTH), findings.toString());
  }

  static Stream<Arguments> plannedLengths() {
    return Stream.of(
        argumentSet("development plans 32", DEVELOPMENT, 32, false),
        argumentSet("test plans 32", TEST, 32, false),
        argumentSet("production plans 64", PRODUCTION, 64, false),
        argumentSet("production plans 63", PRODUCTION, 63, true),
        argumentSet("production plans 32", PRODUCTION, 32, true));
  }

  @ParameterizedTest
  @MethodSource("plannedLengths")
  void plannedKeyShorterThanTheProfileMinimumIsAViolation(Environment environment, int length, boolean violation) {
    EffectiveSpec spec = spec(environment, s -> s.key = key(Algorithm.HS256, Encoding.URLSAFE, length));
    List<Finding> findings = PolicyRules.judgePlannedKey(spec, Profile.of(environment));
    assertEquals(violation, hasViolation(findings, Finding.MINIMUM_LENGTH), findings.toString());
  }

  // ---- entropy ---------------------------------------------------------------------------------

  static Stream<Arguments> entropies() {
    return Stream.of(
        argumentSet("hex 64 carries 256 bits: enough for HS256", Encoding.HEX, 64, Algorithm.HS256, false),
        argumentSet("hex 64 carries 256 bits: too few for HS384", Encoding.HEX, 64, Algorithm.HS384, true),
        argumentSet("hex 64 carries 256 bits: too few for HS512", Encoding.HEX, 64, Algorithm.HS512, true),
        argumentSet("hex 128 carries 512 bits: enough for HS512", Encoding.HEX, 128, Algorithm.HS512, false),
        argumentSet("urlsafe 43 carries 258 bits: enough for HS256", Encoding.URLSAFE, 43, Algorithm.HS256, false),
        argumentSet("urlsafe 42 carries 252 bits: too few for HS256", Encoding.URLSAFE, 42, Algorithm.HS256, true),
        argumentSet("urlsafe 43 carries 258 bits: too few for HS512", Encoding.URLSAFE, 43, Algorithm.HS512, true),
        argumentSet("urlsafe 64 carries 384 bits: enough for HS384", Encoding.URLSAFE, 64, Algorithm.HS384, false),
        argumentSet("urlsafe 86 carries 516 bits: enough for HS512", Encoding.URLSAFE, 86, Algorithm.HS512, false),
        argumentSet("base64 86 carries 516 bits: enough for HS512", Encoding.BASE64, 86, Algorithm.HS512, false),
        argumentSet("secure 64 carries 395 bits: too few for HS512", Encoding.SECURE, 64, Algorithm.HS512, true));
  }

  @ParameterizedTest
  @MethodSource("entropies")
  void existingKeyNeedsTheAlgorithmsHashSizeInEntropy(Encoding encoding, int length, Algorithm algorithm, boolean violation) {
    String key = KEYS.generate(encoding, 128).reveal().substring(0, length);
    List<Finding> findings = PolicyRules.judgeKey(key, algorithm, Profile.of(DEVELOPMENT));
    assertEquals(violation, hasViolation(findings, Finding.ENTROPY), findings.toString());
  }

  @ParameterizedTest
  @MethodSource("entropies")
  void plannedKeyNeedsTheAlgorithmsHashSizeInEntropy(Encoding encoding, int length, Algorithm algorithm, boolean violation) {
    EffectiveSpec spec = spec(DEVELOPMENT, s -> s.key = key(algorithm, encoding, length));
    List<Finding> findings = PolicyRules.judgePlannedKey(spec, Profile.of(DEVELOPMENT));
    assertEquals(violation, hasViolation(findings, Finding.ENTROPY), findings.toString());
  }

  @Test
  void plannedEntropyViolationSaysWhichLengthWouldDo() {
    EffectiveSpec spec = spec(DEVELOPMENT, s -> s.key = key(Algorithm.HS512, Encoding.HEX, 64));
    Finding finding = PolicyRules.judgePlannedKey(spec, Profile.of(DEVELOPMENT)).get(0);
    assertEquals(Finding.ENTROPY, finding.rule());
    assertTrue(finding.message().contains("length 128 or more"), finding.message());
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void defaultKeysOfEveryAlgorithmAreCleanInProduction(Algorithm algorithm) {
    for (Encoding encoding : Encoding.values()) {
      EffectiveSpec spec = spec(PRODUCTION, s -> s.key = key(algorithm, encoding, null));
      assertEquals(List.of(), PolicyRules.judgePlannedKey(spec, Profile.of(PRODUCTION)), encoding.value());
    }
  }

  // ---- weak and placeholder values -------------------------------------------------------------

  static Stream<Arguments> weakKeys() {
    return Stream.of(
        argumentSet("password123", "password123", Finding.WEAK_KEY),
        argumentSet("super-secret-key", "super-secret-key", Finding.WEAK_KEY),
        argumentSet("same_secret_everywhere", "same_secret_everywhere", Finding.WEAK_KEY),
        argumentSet("the guide's placeholder", "GENERATE_UNIQUE_64_CHAR_SECRET_FOR_PRODUCTION", Finding.WEAK_KEY),
        argumentSet("a placeholder padded to 64 characters", "change_me_" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU", Finding.WEAK_KEY),
        argumentSet("64 times a", "a".repeat(64), Finding.LOW_ENTROPY),
        argumentSet("ab repeated to 64 characters", "ab".repeat(32), Finding.LOW_ENTROPY));
  }

  @ParameterizedTest
  @MethodSource("weakKeys")
  void weakOrPlaceholderKeyIsAViolationInEveryEnvironment(String key, String rule) {
    for (Environment environment : Environment.values()) {
      List<Finding> findings = PolicyRules.judgeKey(key, Algorithm.HS256, Profile.of(environment));
      assertTrue(hasViolation(findings, rule), environment + ": " + findings);
      assertTrue(findings.stream().allMatch(Finding::aboutKey), "rules about the key stop the operator from keeping it");
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void randomKeyOf64CharactersIsCleanInProduction(Encoding encoding) {
    Algorithm algorithm = encoding == Encoding.HEX ? Algorithm.HS256 : Algorithm.HS384;
    for (int i = 0; i < 50; i++) {
      String key = KEYS.generate(encoding, 64).reveal();
      assertEquals(List.of(), PolicyRules.judgeKey(key, algorithm, Profile.of(PRODUCTION)));
    }
  }

  static Stream<Arguments> keysToJudge() {
    return Stream.concat(
        weakKeys().map(a -> a.get()[0]),
        Stream.of(
            KEYS.generate(Encoding.URLSAFE, 32).reveal(),
            KEYS.generate(Encoding.HEX, 40).reveal(),
            KEYS.generate(Encoding.SECURE, 64).reveal(),
            "abc", "hunter2"))
        .map(key -> argumentSet(((String) key).length() + " characters", key));
  }

  @ParameterizedTest
  @MethodSource("keysToJudge")
  void findingsNeverContainTheKey(String key) {
    for (Environment environment : Environment.values()) {
      for (Algorithm algorithm : Algorithm.values()) {
        for (Finding f : PolicyRules.judgeKey(key, algorithm, Profile.of(environment))) {
          assertFalse(f.message().contains(key), f.rule());
          assertFalse(f.toString().contains(key), f.rule());
        }
      }
    }
  }

  @Test
  void duplicateKeyViolationNamesNoOtherJwtSecret() {
    Finding f = PolicyRules.duplicateKey();
    assertTrue(f.isViolation());
    assertTrue(f.aboutKey());
    assertEquals(Finding.DUPLICATE_KEY, f.rule());
  }

  // ---- token lifetime --------------------------------------------------------------------------

  static Stream<Arguments> tokenLifetimes() {
    return Stream.of(
        argumentSet("61 minutes in development: violation", DEVELOPMENT, 61, Severity.VIOLATION),
        argumentSet("61 minutes in test: violation", TEST, 61, Severity.VIOLATION),
        argumentSet("61 minutes in production: violation", PRODUCTION, 61, Severity.VIOLATION),
        argumentSet("60 minutes in development: fine", DEVELOPMENT, 60, null),
        argumentSet("30 minutes in development: fine", DEVELOPMENT, 30, null),
        argumentSet("30 minutes in test: fine", TEST, 30, null),
        argumentSet("30 minutes in production: above the recommended 15", PRODUCTION, 30, Severity.WARNING),
        argumentSet("16 minutes in production: above the recommended 15", PRODUCTION, 16, Severity.WARNING),
        argumentSet("15 minutes in production: fine", PRODUCTION, 15, null));
  }

  @ParameterizedTest
  @MethodSource("tokenLifetimes")
  void tokenLifetimeIsHeldToTheProfile(Environment environment, int minutes, Severity severity) {
    EffectiveSpec spec = spec(environment, s -> {
      s.token = token(minutes);
      s.rotation = rotation("@every 720h", "2h");
    });
    assertEquals(severity, severityOf(settings(spec, NOW), Finding.TOKEN_LIFETIME));
  }

  // ---- rotation interval and key age -----------------------------------------------------------

  static Stream<Arguments> rotationIntervals() {
    return Stream.of(
        argumentSet("production @every 4400h: longer than 180 days", PRODUCTION, "@every 4400h", Severity.VIOLATION),
        argumentSet("production @every 4320h: exactly 180 days", PRODUCTION, "@every 4320h", null),
        argumentSet("production default schedule", PRODUCTION, null, null),
        argumentSet("production monthly cron", PRODUCTION, "0 3 1 * *", null),
        argumentSet("production weekly cron", PRODUCTION, "0 3 * * 1", null),
        argumentSet("production yearly cron", PRODUCTION, "0 3 1 1 *", Severity.VIOLATION),
        argumentSet("development @every 8760h: no limit", DEVELOPMENT, "@every 8760h", null),
        argumentSet("test yearly cron: no limit", TEST, "0 3 1 1 *", null));
  }

  @ParameterizedTest
  @MethodSource("rotationIntervals")
  void rotationIntervalIsHeldToTheProfile(Environment environment, String schedule, Severity severity) {
    EffectiveSpec spec = spec(environment, s -> s.rotation = rotation(schedule, null));
    assertEquals(severity, severityOf(settings(spec, NOW), Finding.ROTATION_INTERVAL));
  }

  @Test
  void pausedRotationIsAViolationOnlyInProduction() {
    for (Environment environment : Environment.values()) {
      EffectiveSpec spec = spec(environment, s -> {
        s.rotation = rotation(null, null);
        s.rotation.paused = true;
      });
      Severity expected = environment == PRODUCTION ? Severity.VIOLATION : null;
      assertEquals(expected, severityOf(settings(spec, NOW), Finding.ROTATION_INTERVAL), environment.value());
    }
  }

  static Stream<Arguments> keyAges() {
    return Stream.of(
        argumentSet("production key of 181 days", PRODUCTION, 181, Severity.VIOLATION),
        argumentSet("production key of 179 days", PRODUCTION, 179, null),
        argumentSet("production key of 180 days", PRODUCTION, 180, null),
        argumentSet("test key of 400 days", TEST, 400, null),
        argumentSet("development key of 400 days", DEVELOPMENT, 400, null));
  }

  @ParameterizedTest
  @MethodSource("keyAges")
  void currentKeyOlderThan180DaysBreaksProduction(Environment environment, int days, Severity severity) {
    EffectiveSpec spec = spec(environment, s -> { });
    List<Finding> findings = PolicyRules.judgeSettings(spec, Profile.of(environment), NOW.minus(Duration.ofDays(days)), NOW);
    assertEquals(severity, severityOf(findings, Finding.KEY_AGE));
  }

  @Test
  void unknownKeyAgeIsNoFinding() {
    EffectiveSpec spec = spec(PRODUCTION, s -> { });
    assertEquals(List.of(), PolicyRules.judgeSettings(spec, Profile.of(PRODUCTION), null, NOW));
  }

  // ---- grace period ----------------------------------------------------------------------------

  static Stream<Arguments> gracePeriods() {
    return Stream.of(
        argumentSet("10m grace for 15m tokens in development: warning", DEVELOPMENT, "10m", 15, Severity.WARNING),
        argumentSet("10m grace for 15m tokens in test: warning", TEST, "10m", 15, Severity.WARNING),
        argumentSet("10m grace for 15m tokens in production: violation", PRODUCTION, "10m", 15, Severity.VIOLATION),
        argumentSet("15m grace for 15m tokens in production: fine", PRODUCTION, "15m", 15, null),
        argumentSet("30m grace for 15m tokens in production: fine", PRODUCTION, "30m", 15, null),
        argumentSet("59m grace for 60m tokens in development: warning", DEVELOPMENT, "59m", 60, Severity.WARNING),
        argumentSet("1h grace for 60m tokens in development: fine", DEVELOPMENT, "1h", 60, null));
  }

  @ParameterizedTest
  @MethodSource("gracePeriods")
  void gracePeriodShorterThanTheTokenLifetimeIsReported(Environment environment, String grace, int minutes, Severity severity) {
    EffectiveSpec spec = spec(environment, s -> {
      s.token = token(minutes);
      s.rotation = rotation(null, grace);
    });
    assertEquals(severity, severityOf(settings(spec, NOW), Finding.GRACE_PERIOD));
  }

  @Test
  void settingsRulesNeverStopKeyManagement() {
    EffectiveSpec spec = spec(PRODUCTION, s -> {
      s.token = token(120);
      s.rotation = rotation("@every 8760h", "1m");
    });
    List<Finding> findings = PolicyRules.judgeSettings(spec, Profile.of(PRODUCTION), NOW.minus(Duration.ofDays(400)), NOW);
    assertEquals(List.of(Finding.TOKEN_LIFETIME, Finding.ROTATION_INTERVAL, Finding.KEY_AGE, Finding.GRACE_PERIOD), rules(findings));
    assertTrue(findings.stream().noneMatch(Finding::aboutKey));
  }

  @Test
  void defaultProductionSpecIsClean() {
    EffectiveSpec spec = spec(PRODUCTION, s -> { });
    Profile profile = Profile.of(PRODUCTION);
    List<Finding> findings = new ArrayList<>(PolicyRules.judgePlannedKey(spec, profile));
    findings.addAll(PolicyRules.judgeSettings(spec, profile, NOW.minus(Duration.ofDays(10)), NOW));
    assertEquals(List.of(), findings);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static List<Finding> settings(EffectiveSpec spec, Instant now) {
    return PolicyRules.judgeSettings(spec, Profile.of(spec.environment()), now, now);
  }

  private static EffectiveSpec spec(Environment environment, Consumer<JwtSecretSpec> customize) {
    JwtSecret resource = new JwtSecret();
    resource.setMetadata(new ObjectMetaBuilder().withName("photoapp-jwt").withNamespace("photoapp").build());
    JwtSecretSpec spec = new JwtSecretSpec();
    spec.environment = environment;
    customize.accept(spec);
    resource.setSpec(spec);
    SpecResolver.Result result = SpecResolver.resolve(resource);
    assertEquals(List.of(), result.problems());
    return result.spec();
  }

  private static KeySpec key(Algorithm algorithm, Encoding encoding, Integer length) {
    KeySpec key = new KeySpec();
    key.algorithm = algorithm;
    key.encoding = encoding;
    key.length = length;
    return key;
  }

  private static TokenSpec token(int minutes) {
    TokenSpec token = new TokenSpec();
    token.accessTokenExpireMinutes = minutes;
    return token;
  }

  private static RotationSpec rotation(String schedule, String grace) {
    RotationSpec rotation = new RotationSpec();
    rotation.schedule = schedule;
    rotation.gracePeriod = grace;
    return rotation;
  }

  private static List<String> rules(List<Finding> findings) {
    return findings.stream().map(Finding::rule).toList();
  }

  private static boolean hasViolation(List<Finding> findings, String rule) {
    return findings.stream().anyMatch(f -> f.rule().equals(rule) && f.isViolation());
  }

  /** The severity of the rule's finding, or null when the rule holds. */
  private static Severity severityOf(List<Finding> findings, String rule) {
    List<Severity> severities = findings.stream().filter(f -> f.rule().equals(rule)).map(Finding::severity).distinct().toList();
    assertTrue(severities.size() <= 1, findings.toString());
    return severities.isEmpty() ? null : severities.get(0);
  }

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
