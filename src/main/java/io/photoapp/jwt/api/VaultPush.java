package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A path in a HashiCorp Vault KV version 2 secrets engine, and how to log in to Vault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultPush {
  public static final String URL_PATTERN = "^https?://[^\\s/?#]+(/[^\\s?#]*)?$";
  public static final String PATH_PATTERN = "^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$";

  @Required
  @Pattern(URL_PATTERN)
  @JsonPropertyDescription("Vault's address, e.g. https://vault.vault.svc:8200.")
  public String address;

  @Pattern(PATH_PATTERN)
  @JsonPropertyDescription("Vault Enterprise namespace (sent as X-Vault-Namespace). Default: none.")
  public String namespace;

  @Pattern(PATH_PATTERN)
  @JsonPropertyDescription("Mount path of the KV version 2 secrets engine. Default: secret.")
  public String mount;

  @Required
  @Pattern(PATH_PATTERN)
  @JsonPropertyDescription("Path of the secret in the engine, e.g. photoapp/production/jwt (written to /v1/<mount>/data/<path>).")
  public String path;

  @Required
  @Size(min = 1, max = 1)
  @JsonPropertyDescription("How the operator logs in to Vault: exactly one of kubernetes and tokenSecretRef.")
  public VaultAuth auth;

  @Size(min = 1, max = 1)
  @JsonPropertyDescription("CA certificates (PEM) that Vault's TLS certificate chains to. Default: the JVM's trusted CAs.")
  public CaBundle caBundle;
}
