package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A secret in Azure Key Vault; credentials come from the Azure SDK's DefaultAzureCredential chain. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureKeyVaultPush {
  /** Key Vault secret names: letters, digits and dashes; short enough for the JWK set's "-jwks" suffix. */
  public static final String NAME_PATTERN = "^[0-9a-zA-Z-]{1,122}$";

  @Required
  @Pattern("^https://[^\\s/?#]+/?$")
  @JsonPropertyDescription("The vault's URL, e.g. https://photoapp.vault.azure.net.")
  public String vaultUrl;

  @Required
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Name of the secret whose value is the current key.")
  public String secretName;

  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Name of the secret whose value is the JWK set of every key (current, next, previous). Default: <secretName>-jwks.")
  public String jwksSecretName;
}
