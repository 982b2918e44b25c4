package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Login with Vault's Kubernetes auth method: a role and the operator's service-account token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultKubernetesAuth {
  public static final String DEFAULT_MOUNT = "kubernetes";
  public static final String DEFAULT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";

  @Required
  @Pattern("^[A-Za-z0-9._@-]+$")
  @JsonPropertyDescription("Vault role bound to the operator's ServiceAccount.")
  public String role;

  @Pattern(VaultPush.PATH_PATTERN)
  @JsonPropertyDescription("Mount path of the Kubernetes auth method (login at /v1/auth/<mountPath>/login). Default: kubernetes.")
  public String mountPath;

  @Pattern("^/.+$")
  @JsonPropertyDescription("File in the operator's pod holding its (projected) service-account token, read at every login. Default: /var/run/secrets/kubernetes.io/serviceaccount/token.")
  public String tokenPath;
}
