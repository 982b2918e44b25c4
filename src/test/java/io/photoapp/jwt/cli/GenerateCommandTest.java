package io.photoapp.jwt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code generate}: HMAC keys as before, and asymmetric key pairs as a private JWK or PEM. */
class GenerateCommandTest {
  record Result(int exitCode, String out, String err) {}

  static Result generate(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Stream.concat(Stream.of("generate"), Stream.of(args)).toArray(String[]::new);
    int code = Main.execute(OnCallEnvironment.production(), new PrintWriter(out), new PrintWriter(err), all);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void withoutOptionsItPrintsA64CharacterUrlsafeKeyAsBefore() {
    Result r = generate();
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    String key = r.out().strip();
    assertThat(r.out()).isEqualTo(key + System.lineSeparator());
    assertThat(key).hasSize(64);
    assertThat(key.chars()).allMatch(c -> Encoding.URLSAFE.alphabet().indexOf(c) >= 0);
    assertThat(generate("--algorithm", "HS256", "--format", "hex", "--length", "40").out().strip()).hasSize(40).matches("[0-9a-f]+");
  }

  @Test
  void hs512GetsTheLengthItsEntropyNeeds() {
    assertThat(generate("--algorithm", "HS512").out().strip()).hasSize(86);
  }

  @Test
  void ecKeyPairAsAPrivateJwk() throws Exception {
    Result r = generate("--algorithm", "ES256");
    assertThat(r.exitCode()).isZero();
    JWK jwk = JWK.parse(r.out().strip());
    assertThat(jwk).isInstanceOf(ECKey.class);
    assertThat(jwk.isPrivate()).isTrue();
    assertThat(((ECKey) jwk).getCurve().getName()).isEqualTo("P-256");
    assertThat(jwk.getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    assertThat(jwk.getKeyID()).isEqualTo(KeyIds.of(KeyValue.of(r.out().strip()), Algorithm.ES256));
  }

  @Test
  void rsaKeyPairOfTheRequestedSize() throws Exception {
    JWK jwk = JWK.parse(generate("--algorithm", "PS256", "--size", "2048").out().strip());
    assertThat(((RSAKey) jwk).size()).isEqualTo(2048);
    assertThat(jwk.getAlgorithm().getName()).isEqualTo("PS256");
  }

  static Stream<Arguments> pems() {
    return Stream.of(
        argumentSet("EdDSA", List.of("--algorithm", "EdDSA", "--format", "pem"), "Ed25519"),
        argumentSet("ES384", List.of("--algorithm", "ES384", "--format", "pem"), "EC"),
        argumentSet("RS256, 2048 bits", List.of("--algorithm", "RS256", "--format", "pem", "--size", "2048"), "RSA"));
  }

  @ParameterizedTest
  @MethodSource("pems")
  void keyPairAsPem(List<String> args, String keyFactory) throws Exception {
    Result r = generate(args.toArray(String[]::new));
    assertThat(r.exitCode()).isZero();
    String[] blocks = r.out().split("(?<=-----\n)(?=-----BEGIN)");
    assertThat(blocks).hasSize(2);
    assertThat(blocks[0]).startsWith("-----BEGIN PRIVATE KEY-----").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(blocks[1]).startsWith("-----BEGIN PUBLIC KEY-----").endsWith("-----END PUBLIC KEY-----\n");
    KeyFactory factory = KeyFactory.getInstance(keyFactory);
    factory.generatePrivate(new PKCS8EncodedKeySpec(der(blocks[0])));
    factory.generatePublic(new X509EncodedKeySpec(der(blocks[1])));
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        argumentSet("unknown algorithm", List.of("--algorithm", "none"), "--algorithm must be one of"),
        argumentSet("size for EC", List.of("--algorithm", "ES256", "--size", "4096"), "--size applies to RSA algorithms only"),
        argumentSet("size for HMAC", List.of("--size", "4096"), "--size applies to RSA algorithms only"),
        argumentSet("RSA of 1024 bits", List.of("--algorithm", "RS256", "--size", "1024"), "--size 1024 is outside 2048 to 8192"),
        argumentSet("length for EdDSA", List.of("--algorithm", "EdDSA", "--length", "64"), "--length applies to HMAC algorithms only"),
        argumentSet("hex for ES256", List.of("--algorithm", "ES256", "--format", "hex"), "--format must be jwk or pem"),
        argumentSet("pem for HMAC", List.of("--format", "pem"), "--format must be one of"),
        argumentSet("31 characters", List.of("--length", "31"), "--length 31 is too short"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void badArgumentsExitWith2AndPrintNothingToStdout(List<String> args, String message) {
    Result r = generate(args.toArray(String[]::new));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(message);
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}
