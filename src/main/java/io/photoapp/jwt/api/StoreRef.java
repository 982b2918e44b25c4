package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A store by name and kind. It has no namespace field: a JwtSecretStore is always the JwtSecret's own namespace's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public class StoreRef {
  @Required
  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = 253)
  @JsonPropertyDescription("Name of the store.")
  public String name;

  @JsonDeserialize(using = LenientEnum.class)
  @JsonPropertyDescription("JwtSecretStore (default; in the JwtSecret's namespace) or ClusterJwtSecretStore.")
  public StoreKind kind;

  public StoreRef() {}

  public StoreRef(String name, StoreKind kind) {
    this.name = name;
    this.kind = kind;
  }
}
