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
}
