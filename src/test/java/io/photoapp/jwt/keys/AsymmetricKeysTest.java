package io.photoapp.jwt.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Asymmetric keys per algorithm: generation, key ids, the private and public JWKs, PEM, and signing with them. */
class AsymmetricKeysTest {
  private static final KeyGenerator GENERATOR = new KeyGenerator();
  /** One key per algorithm, made once: RSA generation is slow. 2048 bits, as the test environment allows. */
  private static final Map<Algorithm, KeyValue> KEYS = new EnumMap<>(Algorithm.class);

  /** A second key per algorithm; the RSA ones share one key pair, labelled with each algorithm. */
  private static final Map<Algorithm, KeyValue> OTHERS = new EnumMap<>(Algorithm.class);

  private static synchronized KeyValue key(Algorithm algorithm) {
    return KEYS.computeIfAbsent(algorithm, a -> GENERATOR.generateKeyPair(a, 2048));
  }

  private static synchronized KeyValue other(Algorithm algorithm) {
    if (algorithm.family() == Algorithm.Family.RSA && algorithm != Algorithm.RS256) {
      KeyValue rsa = other(Algorithm.RS256);
      return KeyValue.of(AsymmetricKeys.privateJwkJson(rsa, algorithm, KeyIds.of(rsa, algorithm)).orElseThrow());
    }
    return OTHERS.computeIfAbsent(algorithm, a -> GENERATOR.generateKeyPair(a, 2048));
  }

  static Stream<Arguments> asymmetric() {
    return Stream.of(Algorithm.values()).filter(Algorithm::isAsymmetric).map(a -> argumentSet(a.name(), a));
  }

  @ParameterizedTest
  @MethodSource("asymmetric")
  void generatedKeyIsAPrivateJwkOfTheAlgorithmsTypeAndCurve(Algorithm algorithm) throws Exception {
    JWK jwk = JWK.parse(key(algorithm).reveal());
    assertTrue(jwk.isPrivate());
    assertEquals(algorithm.family().keyType(), jwk.getKeyType().getValue());
    assertEquals(algorithm.name(), jwk.getAlgorithm().getName());
    assertEquals(KeyUse.SIGNATURE, jwk.getKeyUse());
    assertEquals(null, jwk.getKeyOperations(), "use and key_ops are not used together (RFC 7517 section 4.3)");
    switch (algorithm.family()) {
      case RSA -> assertEquals(2048, ((RSAKey) jwk).size());
      case EC -> assertEquals(algorithm.curve(), ((ECKey) jwk).getCurve().getName());
      case OKP -> assertEquals("Ed25519", ((OctetKeyPair) jwk).getCurve().getName());
      case HMAC -> throw new AssertionError();
    }
    assertEquals(algorithm.curve(), AsymmetricKeys.curve(jwk));
  }

  @ParameterizedTest
  @MethodSource("asymmetric")
  void keyIdIsTheFirst16CharactersOfThePublicJwksThumbprint(Algorithm algorithm) throws Exception {
    KeyValue value = key(algorithm);
    JWK jwk = JWK.parse(value.reveal());
    String thumbprint = jwk.toPublicJWK().computeThumbprint().toString();
    String id = KeyIds.of(value, algorithm);
    assertEquals(KeyIds.LENGTH, id.length());
    assertEquals(thumbprint.substring(0, KeyIds.LENGTH), id);
    assertEquals(id, jwk.getKeyID(), "the private JWK carries its key id");
    assertNotEquals(KeyIds.of(value), id, "not the id of the JSON text taken as an HMAC key");
  }

  @ParameterizedTest
  @MethodSource("asymmetric")
  void twoKeysDiffer(Algorithm algorithm) {
    KeyValue other = other(algorithm);
    assertNotEquals(key(algorithm), other);
    assertNotEquals(KeyIds.of(key(algorithm), algorithm), KeyIds.of(other, algorithm));
  }

  @ParameterizedTest
  @MethodSource("asymmetric")
  void aTokenSignedWithThePrivateJwkVerifiesWithThePublicSetOnly(Algorithm algorithm) throws Exception {
    KeyValue value = key(algorithm);
    String id = KeyIds.of(value, algorithm);
    JWK priv = JWK.parse(AsymmetricKeys.privateJwkJson(value, algorithm, id).orElseThrow());
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(algorithm.name())).keyID(id).build(),
        new JWTClaimsSet.Builder().subject("alice").build());
    jwt.sign(signer(priv));

    JWKSet published = JWKSet.parse(JwkSets.publicJson(List.of(new JwkEntry(value, id, algorithm, true))));
    JWK pub = published.getKeyByKeyId(id);
    assertFalse(pub.isPrivate());
    assertEquals(algorithm.name(), pub.getAlgorithm().getName());
    assertEquals(KeyUse.SIGNATURE, pub.getKeyUse());
    SignedJWT received = SignedJWT.parse(jwt.serialize());
    assertTrue(received.verify(verifier(pub)));

    KeyValue stranger = other(algorithm);
    JWK strangerPublic = JWKSet.parse(JwkSets.publicJson(
        List.of(new JwkEntry(stranger, KeyIds.of(stranger, algorithm), algorithm, true)))).getKeys().get(0);
    assertFalse(received.verify(verifier(strangerPublic)));
  }

  @ParameterizedTest
  @MethodSource("asymmetric")
  void publicSetHoldsNoPrivateMember(Algorithm algorithm) {
    KeyValue value = key(algorithm);
    String json = JwkSets.publicJson(List.of(new JwkEntry(value, KeyIds.of(value, algorithm), algorithm, true)));
    for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "key_ops")) {
      assertFalse(json.contains(member), member + " in " + algorithm + " public set");
    }
  }

  @ParameterizedTest
  @MethodSource("asymmetric")
  void pemFilesHoldThePairOfTheJwk(Algorithm algorithm) throws Exception {
    KeyValue value = key(algorithm);
    JWK jwk = JWK.parse(value.reveal());
    String privatePem = AsymmetricKeys.privatePem(value).orElseThrow();
    String publicPem = AsymmetricKeys.publicPem(value).orElseThrow();
    assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----\n") && privatePem.endsWith("-----END PRIVATE KEY-----\n"));
    assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n") && publicPem.endsWith("-----END PUBLIC KEY-----\n"));
    assertTrue(privatePem.lines().allMatch(l -> l.length() <= 64), "PEM lines of 64 characters");
    String keyFactory = switch (algorithm.family()) {
      case RSA -> "RSA";
      case EC -> "EC";
      case OKP -> "Ed25519";
      case HMAC -> throw new AssertionError();
    };
    KeyFactory factory = KeyFactory.getInstance(keyFactory);
    PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
    PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(der(publicPem)));
    switch (algorithm.family()) {
      case RSA -> {
        assertEquals(((RSAKey) jwk).getPrivateExponent().decodeToBigInteger(), ((RSAPrivateKey) privateKey).getPrivateExponent());
        assertArrayEquals(((RSAKey) jwk).toPublicKey().getEncoded(), publicKey.getEncoded());
      }
      case EC -> {
        assertEquals(((ECKey) jwk).getD().decodeToBigInteger(), ((ECPrivateKey) privateKey).getS());
        assertArrayEquals(((ECKey) jwk).toPublicKey().getEncoded(), publicKey.getEncoded());
      }
      case OKP -> assertArrayEquals(((OctetKeyPair) jwk).getDecodedD(), ((EdECPrivateKey) privateKey).getBytes().orElseThrow());
      case HMAC -> throw new AssertionError();
    }
    // What the PEM private key signs, the PEM public key verifies.
    String signatureAlgorithm = switch (algorithm.family()) {
      case RSA -> "SHA256withRSA";
      case EC -> "SHA256withECDSA";
      default -> "Ed25519";
    };
    Signature signer = Signature.getInstance(signatureAlgorithm);
    signer.initSign(privateKey);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(signatureAlgorithm);
    verifier.initVerify(publicKey);
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signature));
  }

  @Test
  void ed25519PemSignsWhatTheJwksPublicKeyVerifies() throws Exception {
    KeyValue value = key(Algorithm.EdDSA);
    OctetKeyPair jwk = OctetKeyPair.parse(value.reveal());
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).build(), new JWTClaimsSet.Builder().subject("a").build());
    jwt.sign(new Ed25519Signer(jwk));
    PublicKey publicKey = KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(der(AsymmetricKeys.publicPem(value).orElseThrow())));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey);
    verifier.update(jwt.getSigningInput());
    assertTrue(verifier.verify(jwt.getSignature().decode()), "the SPKI PEM is the JWK's public key");
  }

  @Test
  void jwksSecretHoldsPrivateAsymmetricKeysWithKeyOpsAndHmacKeysAsBefore() throws Exception {
    KeyValue rsa = key(Algorithm.RS256);
    KeyValue ec = key(Algorithm.ES384);
    KeyValue hmac = GENERATOR.generate(Encoding.URLSAFE, 64);
    String rsaId = KeyIds.of(rsa, Algorithm.RS256);
    String ecId = KeyIds.of(ec, Algorithm.ES384);
    List<JwkEntry> entries = List.of(
        new JwkEntry(rsa, rsaId, Algorithm.RS256, true),
        new JwkEntry(ec, ecId, Algorithm.ES384, false),
        new JwkEntry(hmac, KeyIds.of(hmac), Algorithm.HS256, false));
    List<JWK> keys = JWKSet.parse(JwkSets.toJson(entries)).getKeys();
    assertEquals(List.of(rsaId, ecId, KeyIds.of(hmac)), keys.stream().map(JWK::getKeyID).toList());
    assertTrue(keys.get(0).isPrivate() && keys.get(1).isPrivate());
    assertEquals(Set.of(KeyOperation.SIGN, KeyOperation.VERIFY), keys.get(0).getKeyOperations());
    assertEquals(Set.of(KeyOperation.VERIFY), keys.get(1).getKeyOperations());
    assertEquals(null, keys.get(0).getKeyUse());
    // The HMAC entry is exactly what an HMAC-only set holds.
    String hmacOnly = JwkSets.toJson(List.of(new JwkEntry(hmac, KeyIds.of(hmac), Algorithm.HS256, false)));
    assertEquals(JWKSet.parse(hmacOnly).getKeys().get(0).toJSONObject(), keys.get(2).toJSONObject());

    List<JWK> published = JWKSet.parse(JwkSets.publicJson(entries)).getKeys();
    assertEquals(List.of(rsaId, ecId), published.stream().map(JWK::getKeyID).toList(), "no HMAC key in the public set");
    assertTrue(JwkSets.hasPublicKeys(entries));
    assertFalse(JwkSets.hasPublicKeys(List.of(entries.get(2))));
  }

  @Test
  void outputsAreTheSameForTheSameKey() {
    KeyValue value = key(Algorithm.PS384);
    String id = KeyIds.of(value, Algorithm.PS384);
    List<JwkEntry> entries = List.of(new JwkEntry(value, id, Algorithm.PS384, true));
    assertEquals(JwkSets.toJson(entries), JwkSets.toJson(entries));
    assertEquals(JwkSets.publicJson(entries), JwkSets.publicJson(entries));
    assertEquals(value.reveal(), AsymmetricKeys.privateJwkJson(value, Algorithm.PS384, id).orElseThrow(),
        "private.jwk.json of a generated key is the stored value itself");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{\"kty\":\"oct\",\"k\":\"AAAA\"}", "{\"kty\":\"RSA\"}", "{}", "{\"kty\":"})
  void valuesThatHoldNoPrivateJwkHaveAStableIdAndNoPemOrJwk(String text) {
    KeyValue value = KeyValue.of(text);
    assertTrue(AsymmetricKeys.parsePrivate(value).isEmpty());
    assertEquals(KeyIds.of(value), KeyIds.of(value, Algorithm.RS256));
    assertTrue(AsymmetricKeys.privatePem(value).isEmpty());
    assertTrue(AsymmetricKeys.publicPem(value).isEmpty());
    assertEquals("{\"keys\":[]}", JwkSets.publicJson(List.of(new JwkEntry(value, KeyIds.of(value), Algorithm.ES256, true))));
  }

  @Test
  void aPublicJwkIsNoKeyValue() throws Exception {
    JWK publicOnly = JWK.parse(key(Algorithm.ES256).reveal()).toPublicJWK();
    assertTrue(AsymmetricKeys.parsePrivate(KeyValue.of(publicOnly.toJSONString())).isEmpty());
  }

  @Test
  void hmacKeyIdsAreUnchanged() {
    KeyValue hmac = KeyValue.of("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    for (Algorithm a : List.of(Algorithm.HS256, Algorithm.HS384, Algorithm.HS512)) {
      assertEquals(KeyIds.of(hmac), KeyIds.of(hmac, a));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 2047, 8193})
  void refusesRsaSizesOutside2048To8192(int bits) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GENERATOR.generateKeyPair(Algorithm.RS256, bits));
    assertTrue(e.getMessage().contains("between 2048 and 8192"), e.getMessage());
  }

  @Test
  void refusesHmacAlgorithmsForKeyPairs() {
    assertThrows(IllegalArgumentException.class, () -> GENERATOR.generateKeyPair(Algorithm.HS256, 2048));
  }

  @ParameterizedTest
  @MethodSource("asymmetric")
  void keyValueNeverShowsThePrivateKey(Algorithm algorithm) throws Exception {
    KeyValue value = key(algorithm);
    String d = JWK.parse(value.reveal()).toJSONObject().get("d").toString();
    assertFalse(value.toString().contains(d));
    assertFalse(value.toString().contains("{"));
  }

  /** A verifier for a public JWK, as a service that reads the public set builds it. */
  static JWSVerifier verifier(JWK jwk) throws Exception {
    if (jwk instanceof RSAKey rsa) {
      return new RSASSAVerifier(rsa);
    }
    if (jwk instanceof ECKey ec) {
      return new ECDSAVerifier(ec);
    }
    return new Ed25519Verifier((OctetKeyPair) jwk);
  }

  /** A signer for a private JWK. */
  static JWSSigner signer(JWK jwk) throws Exception {
    if (jwk instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    if (jwk instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    return new Ed25519Signer((OctetKeyPair) jwk);
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}
