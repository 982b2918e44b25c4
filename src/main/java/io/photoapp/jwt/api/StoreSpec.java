package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Exactly one secret manager: its connection settings, the prefix every write stays under, and the identity to use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreSpec {
  @JsonPropertyDescription("HashiCorp Vault, KV secrets engine version 2. Give exactly one of vault, awsSecretsManager and azureKeyVault.")
  public VaultProvider vault;

  @JsonPropertyDescription("AWS Secrets Manager. Give exactly one of vault, awsSecretsManager and azureKeyVault.")
  public AwsSecretsManagerProvider awsSecretsManager;

  @JsonPropertyDescription("Azure Key Vault. Give exactly one of vault, awsSecretsManager and azureKeyVault.")
  public AzureKeyVaultProvider azureKeyVault;

  /** The field this version could not read (a wrong type on a cluster without the schema); never serialized. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public transient String unreadable;
}
