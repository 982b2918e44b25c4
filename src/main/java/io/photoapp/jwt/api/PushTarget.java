package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One external secret store that the operator keeps in step with the Secret: exactly one of its fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PushTarget {
  @JsonPropertyDescription("HashiCorp Vault, KV secrets engine version 2. Give exactly one of vault, awsSecretsManager and azureKeyVault.")
  public VaultPush vault;

  @JsonPropertyDescription("AWS Secrets Manager. Give exactly one of vault, awsSecretsManager and azureKeyVault.")
  public AwsSecretsManagerPush awsSecretsManager;

  @JsonPropertyDescription("Azure Key Vault. Give exactly one of vault, awsSecretsManager and azureKeyVault.")
  public AzureKeyVaultPush azureKeyVault;
}
