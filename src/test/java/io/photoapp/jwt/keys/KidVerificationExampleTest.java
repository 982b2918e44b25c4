package io.photoapp.jwt.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's kid-based verification sample, run against a JWK set as the operator writes it. */
class KidVerificationExampleTest {
  private final KeyGenerator generator = new KeyGenerator();

  private JwkEntry entry(KeyValue key, Algorithm alg, boolean signing) {
    return new JwkEntry(key, KeyIds.of(key), alg, signing);
  }

  private static SignedJWT sign(OctetSequenceKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.parse(key.getAlgorithm().getName())).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject("alice").expirationTime(new Date(System.currentTimeMillis() + 900_000)).build());
    jwt.sign(new MACSigner(key));
    return jwt;
  }

  private static boolean verify(JWKSet keys, String serialized) throws Exception {
    SignedJWT token = SignedJWT.parse(serialized);
    JWK key = keys.getKeyByKeyId(token.getHeader().getKeyID());
    return key != null && key.getKeyOperations().contains(KeyOperation.VERIFY)
        && token.verify(new MACVerifier((OctetSequenceKey) key))
        && token.getJWTClaimsSet().getExpirationTime().after(new Date());
  }

  @Test
  void tokensSignedWithCurrentNextOrPreviousVerifyAndOthersDoNot() throws Exception {
    KeyValue previous = generator.generate(Encoding.URLSAFE, 64);
    KeyValue current = generator.generate(Encoding.URLSAFE, 86);
    KeyValue next = generator.generate(Encoding.URLSAFE, 86);
    KeyValue stranger = generator.generate(Encoding.URLSAFE, 64);
    JWKSet keys = JWKSet.parse(JwkSets.toJson(List.of(
        entry(current, Algorithm.HS512, true), entry(next, Algorithm.HS512, false), entry(previous, Algorithm.HS256, false))));

    OctetSequenceKey signing = (OctetSequenceKey) keys.getKeys().get(0);
    assertThat(signing.getKeyOperations()).contains(KeyOperation.SIGN);
    assertThat(verify(keys, sign(signing).serialize())).isTrue();
    assertThat(verify(keys, sign((OctetSequenceKey) keys.getKeyByKeyId(KeyIds.of(next))).serialize())).isTrue();
    assertThat(verify(keys, sign((OctetSequenceKey) keys.getKeyByKeyId(KeyIds.of(previous))).serialize())).isTrue();

    OctetSequenceKey other = new OctetSequenceKey.Builder(stranger.utf8()).keyID(KeyIds.of(stranger))
        .algorithm(JWSAlgorithm.HS256).build();
    assertThat(verify(keys, sign(other).serialize())).as("a key outside the set").isFalse();
  }
}
