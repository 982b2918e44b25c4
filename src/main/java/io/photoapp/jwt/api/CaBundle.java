package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** PEM CA certificates to trust: exactly one of its fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaBundle {
  @Size(max = 65536)
  @JsonPropertyDescription("PEM certificates inline.")
  public String pem;

  @JsonPropertyDescription("A key of a Secret holding PEM certificates.")
  public KeyReference secretRef;

  @JsonPropertyDescription("A key of a ConfigMap holding PEM certificates.")
  public KeyReference configMapRef;
}
