package io.photoapp.jwt.push;

/** The kinds of secret manager a store may be. */
public enum Provider {
  VAULT("Vault"),
  AWS_SECRETS_MANAGER("AWSSecretsManager"),
  AZURE_KEY_VAULT("AzureKeyVault");

  private final String display;

  Provider(String display) {
    this.display = display;
  }

  /** As shown in a store's status.provider. */
  public String display() {
    return display;
  }
}
