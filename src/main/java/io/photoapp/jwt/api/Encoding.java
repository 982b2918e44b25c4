package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a key's random bits are written as characters; each has a fixed alphabet. */
public enum Encoding {
  @JsonProperty("urlsafe") URLSAFE("urlsafe", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
  @JsonProperty("base64") BASE64("base64", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
  @JsonProperty("hex") HEX("hex", "0123456789abcdef"),
  @JsonProperty("secure") SECURE("secure", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.,:+@%=^");

  private final String value;
  private final String alphabet;

  Encoding(String value, String alphabet) {
    this.value = value;
    this.alphabet = alphabet;
  }

  public String value() {
    return value;
  }

  /** The characters a key of this encoding is drawn from (base64 may also end in '=' padding). */
  public String alphabet() {
    return alphabet;
  }

  public double bitsPerCharacter() {
    return Math.log(alphabet.length()) / Math.log(2);
  }

  public static java.util.Optional<Encoding> parse(String name) {
    for (Encoding e : values()) {
      if (e.value.equals(name)) {
        return java.util.Optional.of(e);
      }
    }
    return java.util.Optional.empty();
  }
}
