package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A HashiCorp Vault KV version 2 engine: where it is, the prefix every write stays under, how to log in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultProvider {
  public static final String URL_PATTERN = "^https?://[^\\s/?#@]+(/[^\\s?#@]*)?$";
  public static final String SEGMENTS_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$";
  /** Path segments that may hold {namespace}. */
  public static final String PREFIX_PATTERN = "^([A-Za-z0-9._-]|\\{namespace\\})+(/([A-Za-z0-9._-]|\\{namespace\\})+)*$";

  @Required
  @Pattern(URL_PATTERN)
  @Size(max = 2048)
  @JsonPropertyDescription("Vault's address, https://host:port (plain http only when the operator runs with --allow-insecure-stores).")
  public String address;

  @Pattern(SEGMENTS_PATTERN)
  @Size(max = 200)
  @JsonPropertyDescription("Vault Enterprise namespace (sent as X-Vault-Namespace). Default: none.")
  public String namespace;

  @Pattern(SEGMENTS_PATTERN)
  @Size(max = 200)
  @JsonPropertyDescription("Mount path of the KV version 2 secrets engine. Default: secret.")
  public String mount;

  @Required
  @Pattern(PREFIX_PATTERN)
  @Size(max = 200)
  @JsonPropertyDescription("Every write lands under this prefix: /v1/<mount>/data/<prefix>/<path>. May contain {namespace} (the JwtSecret's namespace), e.g. photoapp/{namespace}.")
  public String pathPrefix;

  @JsonPropertyDescription("CA certificates (PEM) that Vault's TLS certificate chains to. Default: the JVM's trusted CAs.")
  public CaBundle caBundle;

  @Required
  @JsonPropertyDescription("How the operator logs in to Vault: exactly one of kubernetes and tokenSecretRef.")
  public VaultAuth auth;

  /** Exactly one login method. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VaultAuth {
    @JsonPropertyDescription("Vault's Kubernetes auth method, with a token minted for serviceAccountRef (or, in a ClusterJwtSecretStore only, the operator's own identity).")
    public VaultKubernetesAuth kubernetes;

    @JsonPropertyDescription("A Vault token in a Secret (in the store's namespace; for a cluster store, the namespace given).")
    public SecretKeyRef tokenSecretRef;
  }

  /** Login with a role and a ServiceAccount token. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VaultKubernetesAuth {
    public static final String DEFAULT_MOUNT = "kubernetes";

    @Required
    @Pattern("^[A-Za-z0-9._@-]+$")
    @Size(max = 128)
    @JsonPropertyDescription("Vault role bound to the ServiceAccount.")
    public String role;

    @Pattern(SEGMENTS_PATTERN)
    @Size(max = 200)
    @JsonPropertyDescription("Mount path of the Kubernetes auth method (login at /v1/auth/<mountPath>/login). Default: kubernetes.")
    public String mountPath;

    @JsonPropertyDescription("The ServiceAccount whose minted token logs in. Give exactly one of serviceAccountRef and operatorIdentity.")
    public ServiceAccountRef serviceAccountRef;

    @JsonPropertyDescription("ClusterJwtSecretStore only: log in with the operator's own ServiceAccount token.")
    public Boolean operatorIdentity;

    @JsonPropertyDescription("The same as operatorIdentity: true.")
    public OperatorIdentity operator;
  }
}
