package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An Azure Key Vault: secret names under a prefix, and the identity to use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureKeyVaultProvider {
  /** Key Vault names: letters, digits and dashes, with {namespace}. */
  public static final String PREFIX_PATTERN = "^([0-9a-zA-Z-]|\\{namespace\\})+$";
  public static final String GUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  @Required
  @Pattern("^https?://[^\\s/?#@]+/?$")
  @Size(max = 2048)
  @JsonPropertyDescription("The vault's URL, e.g. https://photoapp.vault.azure.net.")
  public String vaultUrl;

  @Required
  @Pattern(PREFIX_PATTERN)
  @Size(max = 60)
  @JsonPropertyDescription("Every secret name starts with this prefix and a dash: <prefix>-<path> (the key) and <prefix>-<path>-jwks (the JWK set). May contain {namespace}; then, in a ClusterJwtSecretStore, a path holds no - and is not jwks, so that no namespace names another's secret.")
  public String namePrefix;

  @Required
  @JsonPropertyDescription("Exactly one of workloadIdentity and clientSecret.")
  public AzureAuth auth;

  /** Exactly one way to authenticate. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AzureAuth {
    @JsonPropertyDescription("Workload identity: a token minted for serviceAccountRef as the client assertion of clientId; or, in a ClusterJwtSecretStore only, operatorIdentity (DefaultAzureCredential of the operator's pod).")
    public AzureWorkloadIdentity workloadIdentity;

    @JsonPropertyDescription("A service principal's client secret in a Secret.")
    public AzureClientSecret clientSecret;
  }

  /** Workload identity. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AzureWorkloadIdentity {
    @Pattern(GUID_PATTERN)
    @JsonPropertyDescription("Application (client) id (required with serviceAccountRef).")
    public String clientId;

    @Pattern(GUID_PATTERN)
    @JsonPropertyDescription("Directory (tenant) id (required with serviceAccountRef).")
    public String tenantId;

    @JsonPropertyDescription("The ServiceAccount whose minted token is the client assertion. Give exactly one of serviceAccountRef and operatorIdentity.")
    public ServiceAccountRef serviceAccountRef;

    @JsonPropertyDescription("ClusterJwtSecretStore only: the operator's own credentials (DefaultAzureCredential).")
    public Boolean operatorIdentity;

    @JsonPropertyDescription("The same as operatorIdentity: true.")
    public OperatorIdentity operator;
  }

  /** A service principal with a secret. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AzureClientSecret {
    @Required
    @Pattern(GUID_PATTERN)
    @JsonPropertyDescription("Application (client) id.")
    public String clientId;

    @Required
    @Pattern(GUID_PATTERN)
    @JsonPropertyDescription("Directory (tenant) id.")
    public String tenantId;

    @Required
    @JsonPropertyDescription("The client secret.")
    public SecretKeyRef secretRef;
  }
}
