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

  @org.junit.jupiter.api.Test
  void controlCharactersGo() {
    assertThat(StoreText.of("line1\nline2\u0000\u001b[31m")).isEqualTo("line1 line2 [31m");
  }

  @org.junit.jupiter.api.Test
  void aLongReplyIsCut() {
    assertThat(StoreText.of("word ".repeat(100))).hasSize(StoreText.MAX).endsWith("...");
  }
}
