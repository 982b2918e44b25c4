package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret holding a store credential: in the store's namespace, or for a cluster store the namespace it names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
  @Required
  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = 253)
  @JsonPropertyDescription("Name of the Secret.")
  public String name;

  @Required
  @Pattern(SecretSpec.DATA_KEY_PATTERN)
  @Size(max = 253)
  @JsonPropertyDescription("Data key in the Secret.")
  public String key;

  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = 63)
  @JsonPropertyDescription("ClusterJwtSecretStore only (required there): the Secret's namespace. A JwtSecretStore always reads its own namespace.")
  public String namespace;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key, String namespace) {
    this.name = name;
    this.key = key;
    this.namespace = namespace;
  }
}
