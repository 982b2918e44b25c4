package io.photoapp.jwt.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A key's encoded string. Its {@code toString()} never shows the value, so a key that reaches a
 * log line, an exception message or a serialized object by accident shows nothing.
 */
public final class KeyValue {
  private final String value;

  private KeyValue(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static KeyValue of(String value) {
    return new KeyValue(value);
  }

  public static KeyValue ofUtf8(byte[] bytes) {
    return new KeyValue(new String(bytes, StandardCharsets.UTF_8));
  }

  /** The key string itself; call only to write it to the Secret or to judge it. */
  public String reveal() {
    return value;
  }

  public byte[] utf8() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  public int length() {
    return value.length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue other
        && MessageDigest.isEqual(utf8(), other.utf8());
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "KeyValue[redacted, " + value.length() + " chars]";
  }
}
