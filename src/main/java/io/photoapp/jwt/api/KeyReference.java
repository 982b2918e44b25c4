package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret or ConfigMap in the store's namespace (for a cluster store: the namespace it names). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyReference {
  @Required
  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = 253)
  @JsonPropertyDescription("Name of the object.")
  public String name;

  @Required
  @Pattern(SecretSpec.DATA_KEY_PATTERN)
  @Size(max = 253)
  @JsonPropertyDescription("Data key in the object.")
  public String key;

  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = 63)
  @JsonPropertyDescription("ClusterJwtSecretStore only (required there): the object's namespace.")
  public String namespace;

  public KeyReference() {}

  public KeyReference(String name, String key) {
    this.name = name;
    this.key = key;
  }
}
