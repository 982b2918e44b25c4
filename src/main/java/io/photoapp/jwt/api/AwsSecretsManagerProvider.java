package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** AWS Secrets Manager in one region: secret names under a prefix, and the identity to use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsSecretsManagerProvider {
  /** Name prefixes: Secrets Manager's name characters, with {namespace}. */
  public static final String PREFIX_PATTERN = "^([A-Za-z0-9_+=.@-]|\\{namespace\\})+(/([A-Za-z0-9_+=.@-]|\\{namespace\\})+)*$";

  @Required
  @Pattern("^[a-z0-9-]+$")
  @Size(max = 32)
  @JsonPropertyDescription("AWS region, e.g. eu-west-1.")
  public String region;

  @Pattern(VaultProvider.URL_PATTERN)
  @Size(max = 2048)
  @JsonPropertyDescription("Endpoint instead of the region's, for VPC endpoints (https; http only with --allow-insecure-stores).")
  public String endpoint;

  @Pattern(VaultProvider.URL_PATTERN)
  @Size(max = 2048)
  @JsonPropertyDescription("STS endpoint for web identity, instead of the region's.")
  public String stsEndpoint;

  @Required
  @Pattern(PREFIX_PATTERN)
  @Size(max = 200)
  @JsonPropertyDescription("Every secret name starts with this prefix and a slash: <prefix>/<path> (the key) and <prefix>/<path>-jwks (the JWK set). May contain {namespace}.")
  public String namePrefix;

  @Required
  @JsonPropertyDescription("Exactly one of jwt and secretRef.")
  public AwsAuth auth;

  /** Exactly one way to authenticate. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AwsAuth {
    @JsonPropertyDescription("Web identity: a token minted for serviceAccountRef exchanged for roleArn's credentials with STS AssumeRoleWithWebIdentity; or, in a ClusterJwtSecretStore only, operatorIdentity (the AWS SDK's default chain of the operator's pod).")
    public AwsJwtAuth jwt;

    @JsonPropertyDescription("An access key pair in a Secret.")
    public AwsSecretRef secretRef;
  }

  /** Web identity. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AwsJwtAuth {
    @Pattern("^arn:[a-z-]+:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$")
    @Size(max = 2048)
    @JsonPropertyDescription("The IAM role to assume (required with serviceAccountRef).")
    public String roleArn;

    @JsonPropertyDescription("The ServiceAccount whose minted token is exchanged. Give exactly one of serviceAccountRef and operatorIdentity.")
    public ServiceAccountRef serviceAccountRef;

    @JsonPropertyDescription("ClusterJwtSecretStore only: the operator's own credentials (default chain: IRSA, environment, instance).")
    public Boolean operatorIdentity;

    @JsonPropertyDescription("The same as operatorIdentity: true.")
    public OperatorIdentity operator;
  }

  /** An access key pair. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AwsSecretRef {
    @Required
    @JsonPropertyDescription("The access key id.")
    public SecretKeyRef accessKeyIdSecretRef;

    @Required
    @JsonPropertyDescription("The secret access key.")
    public SecretKeyRef secretAccessKeySecretRef;
  }
}
