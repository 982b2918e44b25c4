package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A store's error text, as status may show it: short, printable, with nothing that looks like a credential. */
class StoreTextTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "plain words stay | permission denied | permission denied",
      "a token is redacted | invalid token hvs.CAESIJ4k9aBcDeFgHiJkLmNoPqRsTuVwXyZ | invalid token [redacted]",
      "a key in a probe reply is redacted | {\"aws_secret\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"} | {\"aws_secret\":\"[redacted]\"}",
      "an ARN keeps account and type | User: arn:aws:sts::123456789012:assumed-role/jwt-operator/session is not authorized | User: arn:aws:sts::123456789012:assumed-role/... is not authorized",
  })
  void redacts(String name, String text, String shown) {
    assertThat(StoreText.of(text)).isEqualTo(shown);
  }

  /**
   * A key of encoding "secure" holds ',', '@', '%' and '^', which broke it into runs too short to look
   * like a credential: a store that quotes the value it refused (a proxy, a plugin, a validating store)
   * had most of the key shown in status and Events, which more people read than the Secret.
   */
  @org.junit.jupiter.api.Test
  void aKeyOfEverySecureCharacterIsRedactedWhole() {
    for (int i = 0; i < 200; i++) {
      String key = new io.photoapp.jwt.keys.KeyGenerator().generate(io.photoapp.jwt.api.Encoding.SECURE, 64).reveal();
      String shown = StoreText.of("value " + key + " is not valid");
      for (int at = 0; at + 8 <= key.length(); at++) {
        // Not doesNotContain: its failure message would print the key.
        assertThat(shown.contains(key.substring(at, at + 8))).as("8 characters of the key at " + at + " shown").isFalse();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void controlCharactersGo() {
    assertThat(StoreText.of("line1\nline2\u0000\u001b[31m")).isEqualTo("line1 line2 [31m");
  }

  @org.junit.jupiter.api.Test
  void aLongReplyIsCut() {
    assertThat(StoreText.of("word ".repeat(100))).hasSize(StoreText.MAX).endsWith("...");
  }
}
