package io.photoapp.jwt.policy;

import static io.photoapp.jwt.api.Environment.DEVELOPMENT;
import static io.photoapp.jwt.api.Environment.PRODUCTION;
import static io.photoapp.jwt.api.Environment.TEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.KeySpec;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The profile rules of asymmetric keys: RSA modulus, EC and EdDSA curves, the key type; HMAC rules do not apply. */
class AsymmetricKeyRulesTest {
  private static final KeyGenerator GENERATOR = new KeyGenerator();
  private static final Map<Algorithm, String> KEYS = new EnumMap<>(Algorithm.class);
  private static String rsa3072;

  /** A generated key per algorithm; RSA ones of 2048 bits. */
  private static synchronized String key(Algorithm algorithm) {
    return KEYS.computeIfAbsent(algorithm, a -> GENERATOR.generateKeyPair(a, 2048).reveal());
  }

  private static synchronized String rsa3072() {
    if (rsa3072 == null) {
      rsa3072 = GENERATOR.generateKeyPair(Algorithm.RS256, 3072).reveal();
    }
    return rsa3072;
  }

  @Test
  void rsaMinimumIs2048InDevelopmentAndTestAnd3072InProduction() {
    assertEquals(2048, Profile.of(DEVELOPMENT).minimumRsaBits());
    assertEquals(2048, Profile.of(TEST).minimumRsaBits());
    assertEquals(3072, Profile.of(PRODUCTION).minimumRsaBits());
  }

  // ---- RSA modulus -----------------------------------------------------------------------------

  static Stream<Arguments> rsaSizes() {
    return Stream.of(
        argumentSet("1024 bits in development: violation", DEVELOPMENT, 1024, true),
        argumentSet("1024 bits in production: violation", PRODUCTION, 1024, true),
        argumentSet("2048 bits in development: fine", DEVELOPMENT, 2048, false),
        argumentSet("2048 bits in test: fine", TEST, 2048, false),
        argumentSet("2048 bits in production: violation", PRODUCTION, 2048, true),
        argumentSet("3072 bits in production: fine", PRODUCTION, 3072, false));
  }

  @ParameterizedTest
  @MethodSource("rsaSizes")
  void rsaModulusMustMeetTheProfile(Environment environment, int bits, boolean violation) throws Exception {
    String key = switch (bits) {
      case 1024 -> rsa1024();
      case 2048 -> key(Algorithm.RS256);
      default -> rsa3072();
    };
    List<Finding> findings = PolicyRules.judgeKey(key, Algorithm.PS256, Profile.of(environment));
    assertEquals(violation, hasViolation(findings, Finding.KEY_SIZE), findings.toString());
    assertEquals(violation ? 1 : 0, findings.size(), findings.toString());
    findings.forEach(f -> assertTrue(f.aboutKey(), "an adopted key that breaks it takes the emergency path"));
  }

  static Stream<Arguments> plannedRsaSizes() {
    return Stream.of(
        argumentSet("default 3072 in production: fine", PRODUCTION, null, false),
        argumentSet("2048 in production: violation", PRODUCTION, 2048, true),
        argumentSet("2048 in development: fine", DEVELOPMENT, 2048, false),
        argumentSet("2048 in test: fine", TEST, 2048, false),
        argumentSet("4096 in production: fine", PRODUCTION, 4096, false));
  }

  @ParameterizedTest
  @MethodSource("plannedRsaSizes")
  void plannedRsaSizeMustMeetTheProfile(Environment environment, Integer size, boolean violation) {
    EffectiveSpec spec = spec(environment, Algorithm.RS512, size);
    List<Finding> findings = PolicyRules.judgePlannedKey(spec, Profile.of(environment));
    assertEquals(violation, hasViolation(findings, Finding.KEY_SIZE), findings.toString());
    if (violation) {
      assertTrue(findings.get(0).message().contains("spec.key.size " + size), findings.get(0).message());
    }
  }

  // ---- curves and key types --------------------------------------------------------------------

  static Stream<Arguments> wrongKeys() throws Exception {
    String p384 = new ECKeyGenerator(Curve.P_384).generate().toJSONString();
    String p256 = new ECKeyGenerator(Curve.P_256).generate().toJSONString();
    String x25519 = new OctetKeyPairGenerator(Curve.X25519).generate().toJSONString();
    return Stream.of(
        argumentSet("ES256 with a P-384 key", Algorithm.ES256, p384, Finding.KEY_CURVE),
        argumentSet("ES512 with a P-256 key", Algorithm.ES512, p256, Finding.KEY_CURVE),
        argumentSet("EdDSA with an X25519 key", Algorithm.EdDSA, x25519, Finding.KEY_CURVE),
        argumentSet("ES256 with an RSA key", Algorithm.ES256, key(Algorithm.RS256), Finding.KEY_TYPE),
        argumentSet("RS256 with an EC key", Algorithm.RS256, p256, Finding.KEY_TYPE),
        argumentSet("EdDSA with an EC key", Algorithm.EdDSA, p256, Finding.KEY_TYPE),
        argumentSet("RS256 with a public key only", Algorithm.RS256,
            JWK.parse(key(Algorithm.RS256)).toPublicJWK().toJSONString(), Finding.KEY_TYPE),
        argumentSet("ES384 with an HMAC string", Algorithm.ES384,
            new KeyGenerator().generate(Encoding.URLSAFE, 64).reveal(), Finding.KEY_TYPE),
        argumentSet("EdDSA with a placeholder", Algorithm.EdDSA, "change_me", Finding.KEY_TYPE));
  }

  @ParameterizedTest
  @MethodSource("wrongKeys")
  void keyOfTheWrongCurveOrTypeIsAViolationInEveryEnvironment(Algorithm algorithm, String key, String rule) {
    for (Environment environment : Environment.values()) {
      List<Finding> findings = PolicyRules.judgeKey(key, algorithm, Profile.of(environment));
      assertEquals(List.of(rule), findings.stream().map(Finding::rule).toList(), environment + ": " + findings);
      assertTrue(findings.get(0).isViolation() && findings.get(0).aboutKey());
      assertFalse(findings.get(0).message().contains(key), "the message holds no key material");
    }
  }

  // ---- HMAC-only rules -------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"ES256", "ES384", "ES512", "EdDSA"})
  void generatedKeysAreCleanInProductionAndNoHmacRuleApplies(Algorithm algorithm) {
    assertEquals(List.of(), PolicyRules.judgeKey(key(algorithm), algorithm, Profile.of(PRODUCTION)));
  }

  @Test
  void rsaKeyOf3072BitsIsCleanInProductionForEveryRsaAlgorithm() {
    for (Algorithm algorithm : List.of(Algorithm.RS256, Algorithm.RS384, Algorithm.RS512, Algorithm.PS256,
        Algorithm.PS384, Algorithm.PS512)) {
      assertEquals(List.of(), PolicyRules.judgeKey(rsa3072(), algorithm, Profile.of(PRODUCTION)), algorithm.name());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"RS256", "PS384", "ES256", "ES512", "EdDSA"})
  void lengthAndEncodingDoNotApplyToPlannedAsymmetricKeys(Algorithm algorithm) {
    JwtSecret resource = jwtSecret(PRODUCTION, algorithm, null);
    resource.getSpec().key.length = 32;
    resource.getSpec().key.encoding = Encoding.HEX;
    SpecResolver.Result result = SpecResolver.resolve(resource);
    assertEquals(List.of(), result.problems());
    assertEquals(List.of(), PolicyRules.judgePlannedKey(result.spec(), Profile.of(PRODUCTION)));
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = {"RS256", "ES384", "EdDSA"})
  void findingsNeverHoldThePrivateKey(Algorithm algorithm) throws Exception {
    String key = key(algorithm);
    String d = JWK.parse(key).toJSONObject().get("d").toString();
    for (Environment environment : Environment.values()) {
      for (Algorithm judgedAs : Algorithm.values()) {
        for (Finding f : PolicyRules.judgeKey(key, judgedAs, Profile.of(environment))) {
          assertFalse(f.toString().contains(d), f.rule());
          assertFalse(f.toString().contains(key), f.rule());
        }
      }
    }
  }

  private static String rsa1024() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair pair = generator.generateKeyPair();
    return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate()).build().toJSONString();
  }

  private static EffectiveSpec spec(Environment environment, Algorithm algorithm, Integer size) {
    SpecResolver.Result result = SpecResolver.resolve(jwtSecret(environment, algorithm, size));
    assertEquals(List.of(), result.problems());
    return result.spec();
  }

  private static JwtSecret jwtSecret(Environment environment, Algorithm algorithm, Integer size) {
    JwtSecret resource = new JwtSecret();
    resource.setMetadata(new ObjectMetaBuilder().withName("keys").withNamespace("photoapp").build());
    JwtSecretSpec spec = new JwtSecretSpec();
    spec.environment = environment;
    spec.key = new KeySpec();
    spec.key.algorithm = algorithm;
    spec.key.size = size;
    resource.setSpec(spec);
    return resource;
  }

  private static boolean hasViolation(List<Finding> findings, String rule) {
    return findings.stream().anyMatch(f -> f.rule().equals(rule) && f.isViolation());
  }
}
