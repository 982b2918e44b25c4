package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret or ConfigMap in the JwtSecret's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyReference {
  @Required
  @Pattern(SecretSpec.NAME_PATTERN)
  @JsonPropertyDescription("Name of the object, in the JwtSecret's namespace.")
  public String name;

  @Required
  @Pattern(SecretSpec.DATA_KEY_PATTERN)
  @JsonPropertyDescription("Data key in the object.")
  public String key;

  public KeyReference() {}

  public KeyReference(String name, String key) {
    this.name = name;
    this.key = key;
  }
}
