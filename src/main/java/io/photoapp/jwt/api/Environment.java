package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The policy profile a JwtSecret follows, from the least to the most strict. */
public enum Environment {
  @JsonProperty("development") DEVELOPMENT("development"),
  @JsonProperty("test") TEST("test"),
  @JsonProperty("production") PRODUCTION("production");

  private final String value;

  Environment(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The named environment, or empty for an unknown name. */
  public static java.util.Optional<Environment> parse(String name) {
    for (Environment e : values()) {
      if (e.value.equalsIgnoreCase(name == null ? "" : name.trim())) {
        return java.util.Optional.of(e);
      }
    }
    return java.util.Optional.empty();
  }

  public Environment atLeast(Environment other) {
    return other != null && other.ordinal() > ordinal() ? other : this;
  }
}
