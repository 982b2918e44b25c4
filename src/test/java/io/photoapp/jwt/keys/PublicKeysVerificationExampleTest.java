package io.photoapp.jwt.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.photoapp.jwt.api.Algorithm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's verifier sample (Asymmetric keys), run against a jwks.json as the ConfigMap holds it. */
class PublicKeysVerificationExampleTest {
  private final KeyGenerator generator = new KeyGenerator();

  private static String sign(JWK key, JWSAlgorithm alg, long lifetimeMillis) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject("alice").expirationTime(new Date(System.currentTimeMillis() + lifetimeMillis)).build());
    jwt.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new Ed25519Signer((OctetKeyPair) key));
    return jwt.serialize();
  }

  /** The README's RS*, PS*, ES* branch, as written there. */
  private static boolean processorAccepts(File file, String token) throws Exception {
    JWKSet keys = JWKSet.load(file);
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys)));
    try {
      JWTClaimsSet claims = processor.process(token, null);
      return claims.getSubject().equals("alice");
    } catch (BadJOSEException e) {
      return false;
    }
  }

  /** The README's EdDSA branch, as written there. */
  private static boolean ed25519Accepts(File file, String token) throws Exception {
    JWKSet keys = JWKSet.load(file);
    SignedJWT jwt = SignedJWT.parse(token);
    JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    boolean valid = key instanceof OctetKeyPair okp && JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())
        && jwt.verify(new Ed25519Verifier(okp))
        && jwt.getJWTClaimsSet().getExpirationTime().after(new java.util.Date());
    return valid;
  }

  private File published(Path dir, Algorithm algorithm, KeyValue... values) throws Exception {
    List<JwkEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      entries.add(new JwkEntry(values[i], KeyIds.of(values[i], algorithm), algorithm, i == 0));
    }
    Path file = dir.resolve(algorithm + "-jwks.json");
    Files.writeString(file, JwkSets.publicJson(entries));
    return file.toFile();
  }

  @Test
  void es256TokensOfPublishedKeysVerifyAndOthersDoNot(@TempDir Path dir) throws Exception {
    KeyValue current = generator.generateKeyPair(Algorithm.ES256, 0);
    KeyValue previous = generator.generateKeyPair(Algorithm.ES256, 0);
    KeyValue stranger = generator.generateKeyPair(Algorithm.ES256, 0);
    File file = published(dir, Algorithm.ES256, current, previous);
    assertThat(processorAccepts(file, sign(JWK.parse(current.reveal()), JWSAlgorithm.ES256, 900_000))).isTrue();
    assertThat(processorAccepts(file, sign(JWK.parse(previous.reveal()), JWSAlgorithm.ES256, 900_000))).isTrue();
    assertThat(processorAccepts(file, sign(JWK.parse(stranger.reveal()), JWSAlgorithm.ES256, 900_000))).isFalse();
    assertThat(processorAccepts(file, sign(JWK.parse(current.reveal()), JWSAlgorithm.ES256, -120_000))).as("expired").isFalse();
  }

  @Test
  void ed25519TokensOfPublishedKeysVerifyAndOthersDoNot(@TempDir Path dir) throws Exception {
    KeyValue current = generator.generateKeyPair(Algorithm.EdDSA, 0);
    KeyValue next = generator.generateKeyPair(Algorithm.EdDSA, 0);
    KeyValue stranger = generator.generateKeyPair(Algorithm.EdDSA, 0);
    File file = published(dir, Algorithm.EdDSA, current, next);
    assertThat(ed25519Accepts(file, sign(JWK.parse(current.reveal()), JWSAlgorithm.EdDSA, 900_000))).isTrue();
    assertThat(ed25519Accepts(file, sign(JWK.parse(next.reveal()), JWSAlgorithm.EdDSA, 900_000))).isTrue();
    assertThat(ed25519Accepts(file, sign(JWK.parse(stranger.reveal()), JWSAlgorithm.EdDSA, 900_000))).isFalse();
    assertThat(ed25519Accepts(file, sign(JWK.parse(current.reveal()), JWSAlgorithm.EdDSA, -1_000))).as("expired").isFalse();
  }
}
