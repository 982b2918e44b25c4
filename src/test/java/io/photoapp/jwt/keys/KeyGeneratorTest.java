package io.photoapp.jwt.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Key generation, key ids and the JWK set: the bytes every app and every rotation depends on. */
class KeyGeneratorTest {
  private final KeyGenerator generator = new KeyGenerator();

  // ---- KeyGenerator ----------------------------------------------------------------------------

  static Stream<Arguments> encodingsAndLengths() {
    return Stream.of(Encoding.values()).flatMap(e -> IntStream.of(32, 64, 86, 4096)
        .mapToObj(length -> argumentSet(e.value() + ", " + length + " characters", e, length)));
  }

  @ParameterizedTest
  @MethodSource("encodingsAndLengths")
  void generatesExactlyTheLengthFromTheEncodingsAlphabet(Encoding encoding, int length) {
    String key = generator.generate(encoding, length).reveal();
    assertEquals(length, key.length());
    for (char c : key.toCharArray()) {
      assertTrue(encoding.alphabet().indexOf(c) >= 0, "'" + c + "' is not in the " + encoding.value() + " alphabet");
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void longKeysUseEveryCharacterOfTheAlphabet(Encoding encoding) {
    // 4096 uniform draws from at most 72 characters miss one with probability under 1e-20.
    String key = generator.generate(encoding, 4096).reveal();
    Set<Integer> used = new HashSet<>();
    key.chars().forEach(used::add);
    assertEquals(encoding.alphabet().length(), used.size());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 4097, -1})
  void refusesLengthsOutside32To4096(int length) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generator.generate(Encoding.URLSAFE, length));
    assertTrue(e.getMessage().contains("between 32 and 4096"), e.getMessage());
  }

  @Test
  void twoKeysDiffer() {
    assertNotEquals(generator.generate(Encoding.URLSAFE, 64), generator.generate(Encoding.URLSAFE, 64));
    assertNotEquals(generator.generate(Encoding.HEX, 32).reveal(), generator.generate(Encoding.HEX, 32).reveal());
  }

  @Test
  void drawsFromTheRandomSourceItIsGiven() throws NoSuchAlgorithmException {
    assertEquals(new KeyGenerator(seeded(7)).generate(Encoding.SECURE, 64), new KeyGenerator(seeded(7)).generate(Encoding.SECURE, 64));
  }

  static Stream<Arguments> entropyTable() {
    return Stream.of(
        argumentSet("urlsafe 64 carries 384 bits", Encoding.URLSAFE, 64, 384.0),
        argumentSet("base64 64 carries 384 bits", Encoding.BASE64, 64, 384.0),
        argumentSet("hex 64 carries 256 bits", Encoding.HEX, 64, 256.0),
        argumentSet("hex 128 carries 512 bits", Encoding.HEX, 128, 512.0),
        argumentSet("secure 64 carries about 395 bits", Encoding.SECURE, 64, 64 * Math.log(72) / Math.log(2)));
  }

  @ParameterizedTest
  @MethodSource("entropyTable")
  void entropyIsLengthTimesBitsPerCharacter(Encoding encoding, int length, double bits) {
    assertEquals(bits, KeyGenerator.entropyBits(encoding, length), 1e-9);
  }

  static Stream<Arguments> shortestLengths() {
    return Stream.of(
        argumentSet("HS256 in urlsafe: 43", Encoding.URLSAFE, 256, 43),
        argumentSet("HS384 in urlsafe: 64", Encoding.URLSAFE, 384, 64),
        argumentSet("HS512 in urlsafe: 86", Encoding.URLSAFE, 512, 86),
        argumentSet("HS512 in base64: 86", Encoding.BASE64, 512, 86),
        argumentSet("HS256 in hex: 64", Encoding.HEX, 256, 64),
        argumentSet("HS512 in hex: 128", Encoding.HEX, 512, 128),
        argumentSet("HS512 in secure: 83", Encoding.SECURE, 512, 83));
  }

  @ParameterizedTest
  @MethodSource("shortestLengths")
  void lengthForIsTheShortestLengthCarryingTheBits(Encoding encoding, int bits, int length) {
    assertEquals(length, KeyGenerator.lengthFor(encoding, bits));
    assertTrue(KeyGenerator.entropyBits(encoding, length) >= bits);
    assertTrue(KeyGenerator.entropyBits(encoding, length - 1) < bits);
  }

  // ---- KeyIds ----------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void keyIdIsTheRfc7638ThumbprintOfTheUtf8BytesCut16(Encoding encoding) throws Exception {
    KeyValue key = generator.generate(encoding, 64);
    String thumbprint = new OctetSequenceKey.Builder(key.reveal().getBytes(StandardCharsets.UTF_8))
        .build().computeThumbprint("SHA-256").toString();
    String id = KeyIds.of(key);
    assertEquals(16, id.length());
    assertEquals(thumbprint.substring(0, 16), id);
    assertTrue(id.matches("[A-Za-z0-9_-]{16}"), id);
  }

  @Test
  void keyIdIsDeterministicAndTellsKeysApart() {
    KeyValue a = generator.generate(Encoding.URLSAFE, 64);
    KeyValue b = generator.generate(Encoding.URLSAFE, 64);
    assertEquals(KeyIds.of(a), KeyIds.of(KeyValue.of(a.reveal())));
    assertNotEquals(KeyIds.of(a), KeyIds.of(b));
  }

  @Test
  void keyIdOfAKnownKeyIsTheRfc7638ThumbprintComputedByHand() throws Exception {
    // RFC 7638 for an oct key: SHA-256 of {"k":"<base64url of the bytes>","kty":"oct"}, base64url.
    // Every operator version computes ids from the data, so this value must never change.
    String key = "0123456789abcdef0123456789abcdef";
    String k = Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest(("{\"k\":\"" + k + "\",\"kty\":\"oct\"}").getBytes(StandardCharsets.UTF_8));
    String thumbprint = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    assertEquals("XOBEfwKZzZgziWfq", thumbprint.substring(0, 16));
    assertEquals("XOBEfwKZzZgziWfq", KeyIds.of(KeyValue.of(key)));
  }

  // ---- JwkSets ---------------------------------------------------------------------------------

  @Test
  void jwkSetListsEveryKeyCurrentFirstWithKidAlgAndKeyOps() throws Exception {
    KeyValue current = generator.generate(Encoding.URLSAFE, 64);
    KeyValue next = generator.generate(Encoding.HEX, 128);
    KeyValue previous = generator.generate(Encoding.SECURE, 64);
    String json = JwkSets.toJson(List.of(
        new JwkEntry(current, KeyIds.of(current), Algorithm.HS256, true),
        new JwkEntry(next, KeyIds.of(next), Algorithm.HS512, false),
        new JwkEntry(previous, KeyIds.of(previous), Algorithm.HS384, false)));

    List<JWK> keys = JWKSet.parse(json).getKeys();
    assertEquals(List.of(KeyIds.of(current), KeyIds.of(next), KeyIds.of(previous)), keys.stream().map(JWK::getKeyID).toList());
    assertEquals(List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512, JWSAlgorithm.HS384), keys.stream().map(JWK::getAlgorithm).toList());
    assertEquals(Set.of(KeyOperation.SIGN, KeyOperation.VERIFY), keys.get(0).getKeyOperations());
    assertEquals(Set.of(KeyOperation.VERIFY), keys.get(1).getKeyOperations());
    assertEquals(Set.of(KeyOperation.VERIFY), keys.get(2).getKeyOperations());
  }

  @Test
  void jwkSetKeyMaterialIsTheUtf8BytesOfTheKeyString() throws Exception {
    KeyValue current = generator.generate(Encoding.BASE64, 64);
    String json = JwkSets.toJson(List.of(new JwkEntry(current, KeyIds.of(current), Algorithm.HS256, true)));
    OctetSequenceKey jwk = (OctetSequenceKey) JWKSet.parse(json).getKeys().get(0);
    assertArrayEquals(current.utf8(), jwk.toByteArray());
    assertEquals(KeyIds.of(current), jwk.computeThumbprint().toString().substring(0, 16));
  }

  @Test
  void jwkSetOfNoKeysIsAnEmptySet() throws Exception {
    assertTrue(JWKSet.parse(JwkSets.toJson(List.of())).getKeys().isEmpty());
  }

  // ---- KeyValue --------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void keyValueToStringNeverShowsTheValue(Encoding encoding) {
    KeyValue key = generator.generate(encoding, 64);
    String shown = key.toString();
    assertFalse(shown.contains(key.reveal()), shown);
    assertFalse(shown.contains(key.reveal().substring(0, 8)), shown);
    assertFalse(String.valueOf(List.of(key)).contains(key.reveal()));
  }

  @Test
  void keyValuesAreEqualByContent() {
    assertEquals(KeyValue.of("same-value-of-thirty-two-chars!!"), KeyValue.ofUtf8("same-value-of-thirty-two-chars!!".getBytes(StandardCharsets.UTF_8)));
    assertEquals(KeyValue.of("abc").hashCode(), KeyValue.of("abc").hashCode());
    assertNotEquals(KeyValue.of("abc"), KeyValue.of("abd"));
  }

  private static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    return random;
  }
}
