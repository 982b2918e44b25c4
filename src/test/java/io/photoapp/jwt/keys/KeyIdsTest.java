package io.photoapp.jwt.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.photoapp.jwt.api.Encoding;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * An HMAC key's id is the RFC 7638 thumbprint of its {@code oct} JWK, hashed without nimbus's JSON writer: the ids
 * already stored in Secrets, annotations and stores must not change, so it must equal nimbus's for every key.
 */
class KeyIdsTest {
  @Test
  void anHmacKeysIdIsTheThumbprintOfItsOctJwk() throws Exception {
    KeyGenerator generator = new KeyGenerator(new SecureRandom(new byte[] {7}));
    for (Encoding encoding : Encoding.values()) {
      for (int length : new int[] {KeyGenerator.MIN_LENGTH, 64, 65, 500}) {
        KeyValue key = generator.generate(encoding, length);
        assertThat(KeyIds.of(key)).as("%s, %d characters", encoding, length).isEqualTo(rfc7638(key));
      }
    }
    // Not ASCII: k holds the UTF-8 bytes.
    KeyValue unicode = KeyValue.of("ключ-".repeat(20));
    assertThat(KeyIds.of(unicode)).isEqualTo(rfc7638(unicode));
  }

  /** RFC 7638: SHA-256 of the JWK's required members (as nimbus lists them), sorted, without whitespace. */
  static String rfc7638(KeyValue key) throws Exception {
    java.util.Map<String, Object> members = new java.util.TreeMap<>(new OctetSequenceKey.Builder(key.utf8()).build().getRequiredParams());
    assertThat(members.keySet()).containsExactly("k", "kty");
    byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(members);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
        .digest(json)).substring(0, KeyIds.LENGTH);
  }

  @Test
  void theIdOfAFixedKeyIsTheOneTheFirstReleasesStored() {
    // RFC 7638's thumbprint of this key's oct JWK (nimbus's OctetSequenceKey gives the same), as stored so far.
    assertThat(KeyIds.of(KeyValue.of("a-test-key-that-is-long-enough-for-hs256-0123456789abcdef"))).isEqualTo(FIXED_ID);
  }

  static final String FIXED_ID = "q9SnNLME8-hm2DyJ";

  /**
   * The public members of an asymmetric key are public: a JWK made of them and a made-up private part
   * must not get the key's id (TenancyBoundaryTest: it made another namespace's key a duplicate). A
   * real pair keeps its thumbprint, with or without RSA's prime factors; a giant modulus costs no modPow.
   */
  @Test
  void aMadeUpPrivatePartOnSomeoneElsesPublicKeyDoesNotGetItsIdAsAClaim() throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    for (io.photoapp.jwt.api.Algorithm alg : new io.photoapp.jwt.api.Algorithm[] {
        io.photoapp.jwt.api.Algorithm.ES256, io.photoapp.jwt.api.Algorithm.ES512, io.photoapp.jwt.api.Algorithm.EdDSA,
        io.photoapp.jwt.api.Algorithm.RS256}) {
      KeyValue real = AsymmetricKeys.generate(alg, AsymmetricKeys.MIN_RSA_BITS, random);
      com.nimbusds.jose.jwk.JWK jwk = AsymmetricKeys.parsePrivate(real).orElseThrow();
      String id = KeyIds.thumbprint(jwk);
      assertThat(KeyIds.ofClaimed(real, alg)).as("%s: a real pair", alg).isEqualTo(id).isEqualTo(KeyIds.of(real, alg));
      java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(jwk.toJSONObject());
      byte[] d = new byte[alg == io.photoapp.jwt.api.Algorithm.RS256 ? 256 : 32];
      random.nextBytes(d);
      d[0] &= 0x7f;
      json.put("d", com.nimbusds.jose.util.Base64URL.encode(d).toString());
      if (alg == io.photoapp.jwt.api.Algorithm.RS256) {
        // Without the CRT members the private exponent alone decides; with them, they do.
        json.keySet().removeAll(java.util.List.of("p", "q", "dp", "dq", "qi"));
        java.util.Map<String, Object> withoutFactors = new java.util.LinkedHashMap<>(jwk.toJSONObject());
        withoutFactors.keySet().removeAll(java.util.List.of("p", "q", "dp", "dq", "qi"));
        KeyValue realWithoutFactors = KeyValue.of(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(withoutFactors));
        assertThat(KeyIds.ofClaimed(realWithoutFactors, alg)).as("RS256 without p and q: a real pair").isEqualTo(id);
      }
      KeyValue forged = KeyValue.of(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(json));
      assertThat(AsymmetricKeys.parsePrivate(forged)).as("%s: still a private JWK", alg).isPresent();
      assertThat(KeyIds.ofClaimed(forged, alg)).as("%s: a made-up private part", alg).isNotEqualTo(id).isEqualTo(KeyIds.of(forged));
    }
    // A modulus far over the largest RSA key: no modPow of its size, and no pair.
    byte[] giant = new byte[64 * 1024];
    random.nextBytes(giant);
    giant[0] |= (byte) 0x80;
    com.nimbusds.jose.util.Base64URL n = com.nimbusds.jose.util.Base64URL.encode(giant);
    KeyValue huge = KeyValue.of("{\"kty\":\"RSA\",\"n\":\"" + n + "\",\"e\":\"AQAB\",\"d\":\"" + n + "\"}");
    assertThat(KeyIds.ofClaimed(huge, io.photoapp.jwt.api.Algorithm.RS256)).isEqualTo(KeyIds.of(huge));
  }

  /**
   * The duplicate-key index files a key pair by its public and private parts together: a copy of the key
   * (its members in any order) is filed with it, a made-up private part on the same public key is not.
   */
  @org.junit.jupiter.api.Test
  void theIndexFilesAKeyPairByBothItsParts() throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    for (io.photoapp.jwt.api.Algorithm alg : new io.photoapp.jwt.api.Algorithm[] {
        io.photoapp.jwt.api.Algorithm.ES256, io.photoapp.jwt.api.Algorithm.EdDSA, io.photoapp.jwt.api.Algorithm.RS256}) {
      KeyValue real = AsymmetricKeys.generate(alg, AsymmetricKeys.MIN_RSA_BITS, random);
      com.nimbusds.jose.jwk.JWK jwk = AsymmetricKeys.parsePrivate(real).orElseThrow();
      java.util.Map<String, Object> reordered = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
      reordered.putAll(jwk.toJSONObject());
      KeyValue copy = KeyValue.of(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(reordered));
      assertThat(KeyIds.holding(copy, alg)).as("%s: a copy", alg).isEqualTo(KeyIds.holding(real, alg))
          .isNotEqualTo(KeyIds.of(real, alg));
      java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(jwk.toJSONObject());
      byte[] d = new byte[alg == io.photoapp.jwt.api.Algorithm.RS256 ? 256 : 32];
      random.nextBytes(d);
      d[0] &= 0x7f;
      json.put("d", com.nimbusds.jose.util.Base64URL.encode(d).toString());
      KeyValue forged = KeyValue.of(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(json));
      assertThat(KeyIds.holding(forged, alg)).as("%s: a made-up private part", alg).isNotEqualTo(KeyIds.holding(real, alg));
    }
    KeyValue hmac = KeyValue.of("an-hmac-key-of-sixty-four-characters-for-this-test-only-0123456789");
    assertThat(KeyIds.holding(hmac, io.photoapp.jwt.api.Algorithm.HS256)).isEqualTo(KeyIds.of(hmac));
  }
}
