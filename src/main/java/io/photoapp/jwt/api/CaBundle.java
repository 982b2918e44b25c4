package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** PEM CA certificates to trust: exactly one of its fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaBundle {
  @JsonPropertyDescription("PEM certificates inline.")
  public String pem;

  @JsonPropertyDescription("A key of a Secret in the JwtSecret's namespace holding PEM certificates.")
  public KeyReference secretRef;

  @JsonPropertyDescription("A key of a ConfigMap in the JwtSecret's namespace holding PEM certificates.")
  public KeyReference configMapRef;
}
