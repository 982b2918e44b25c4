package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * A ServiceAccount whose identity the operator borrows for one store: it mints a short-lived token for
 * it with the TokenRequest API, for the given audiences only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceAccountRef {
  @Required
  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = 253)
  @JsonPropertyDescription("Name of the ServiceAccount.")
  public String name;

  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = 63)
  @JsonPropertyDescription("ClusterJwtSecretStore only: the ServiceAccount's namespace. Empty: the namespace of the JwtSecret being pushed, so that each namespace's keys go out under its own identity. A JwtSecretStore always uses its own namespace.")
  public String namespace;

  @Size(max = 8)
  @JsonPropertyDescription("Audiences of the minted token. Default: vault (Vault), sts.amazonaws.com (AWS), api://AzureADTokenExchange (Azure). Never the API server's own audience.")
  public List<@Size(max = 253) String> audiences;
}
