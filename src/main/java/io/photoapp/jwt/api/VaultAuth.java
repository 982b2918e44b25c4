package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the operator logs in to Vault: exactly one of its fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultAuth {
  @JsonPropertyDescription("Vault's Kubernetes auth method, logging in with the operator's own service-account token.")
  public VaultKubernetesAuth kubernetes;

  @JsonPropertyDescription("A Vault token read from a Secret in the JwtSecret's namespace.")
  public KeyReference tokenSecretRef;
}
