package io.photoapp.jwt.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.KeySpec;
import io.photoapp.jwt.api.SecretSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** spec.key for asymmetric algorithms: size applies to RSA only, length and encoding to HMAC only. */
class AsymmetricSpecResolverTest {

  static Stream<Arguments> sizes() {
    return Stream.of(
        argumentSet("RS256 without size: 3072", Algorithm.RS256, null, 3072),
        argumentSet("PS512 with size 4096", Algorithm.PS512, 4096, 4096),
        argumentSet("RS384 with size 2048", Algorithm.RS384, 2048, 2048),
        argumentSet("ES256: no size", Algorithm.ES256, null, 0),
        argumentSet("ES384 ignores a size", Algorithm.ES384, 4096, 0),
        argumentSet("EdDSA: no size", Algorithm.EdDSA, null, 0),
        argumentSet("HS256: no size", Algorithm.HS256, 4096, 0));
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void sizeIsTheRsaModulusAndDefaultsTo3072(Algorithm algorithm, Integer size, int effective) {
    EffectiveSpec spec = valid(key(algorithm, size, null, null));
    assertEquals(algorithm, spec.algorithm());
    assertEquals(effective, spec.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256", "ES512", "EdDSA"})
  void lengthGetsNoDefaultAndNoCheckForAsymmetricAlgorithms(String algorithm) {
    assertEquals(0, valid(key(Algorithm.valueOf(algorithm), null, null, null)).length());
    assertEquals(0, valid(key(Algorithm.valueOf(algorithm), null, 5000, Encoding.HEX)).length(),
        "a length the schema would refuse is ignored, not reported, for an asymmetric key");
  }

  @Test
  void hmacLengthsAreAsBefore() {
    assertEquals(86, valid(key(Algorithm.HS512, null, null, null)).length());
    assertEquals(64, valid(key(Algorithm.HS256, 4096, null, null)).length());
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 2047, 8193})
  void rsaSizeOutside2048To8192IsAProblem(int size) {
    List<String> problems = SpecResolver.resolve(key(Algorithm.RS256, size, null, null)).problems();
    assertEquals(List.of("spec.key.size " + size + " is outside 2048..8192"), problems);
  }

  @ParameterizedTest
  @ValueSource(strings = {"private.jwk.json", "private.pem", "public.pem"})
  void theAsymmetricDataKeysAreReserved(String dataKey) {
    JwtSecret resource = key(Algorithm.HS256, null, null, null);
    resource.getSpec().secret = new SecretSpec();
    resource.getSpec().secret.key = dataKey;
    List<String> problems = SpecResolver.resolve(resource).problems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("is a data key the operator writes itself")), problems.toString());
  }

  @Test
  void anAsymmetricKeysSecretNameLeavesRoomForTheConfigMapsSuffix() {
    JwtSecret resource = key(Algorithm.ES256, null, null, null);
    resource.getSpec().secret = new SecretSpec();
    resource.getSpec().secret.name = "a".repeat(249);
    List<String> problems = SpecResolver.resolve(resource).problems();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("too long for the public keys' ConfigMap"), problems.get(0));
    resource.getSpec().secret.name = "a".repeat(248);
    assertEquals(List.of(), SpecResolver.resolve(resource).problems());
    resource.getSpec().key.algorithm = Algorithm.HS256;
    resource.getSpec().secret.name = "a".repeat(253);
    assertEquals(List.of(), SpecResolver.resolve(resource).problems(), "HMAC keys have no ConfigMap");
  }

  private static EffectiveSpec valid(JwtSecret resource) {
    SpecResolver.Result result = SpecResolver.resolve(resource);
    assertEquals(List.of(), result.problems());
    return result.spec();
  }

  private static JwtSecret key(Algorithm algorithm, Integer size, Integer length, Encoding encoding) {
    JwtSecret resource = new JwtSecret();
    resource.setMetadata(new ObjectMetaBuilder().withName("keys").withNamespace("photoapp").build());
    JwtSecretSpec spec = new JwtSecretSpec();
    spec.environment = Environment.PRODUCTION;
    spec.key = new KeySpec();
    spec.key.algorithm = algorithm;
    spec.key.size = size;
    spec.key.length = length;
    spec.key.encoding = encoding;
    resource.setSpec(spec);
    return resource;
  }
}
