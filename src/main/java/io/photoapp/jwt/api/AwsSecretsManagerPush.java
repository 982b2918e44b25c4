package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A secret in AWS Secrets Manager; credentials come from the AWS SDK's default provider chain. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsSecretsManagerPush {
  /** Secret names: letters, digits and /_+=.@- (not an ARN: the JWK set's secret is named after it). */
  public static final String NAME_PATTERN = "^[A-Za-z0-9/_+=.@-]{1,507}$";

  @Required
  @Pattern("^[a-z0-9-]+$")
  @JsonPropertyDescription("AWS region, e.g. eu-west-1.")
  public String region;

  @Required
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Name of the secret whose SecretString is the current key; created if missing.")
  public String secretId;

  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Name of the secret whose SecretString is the JWK set of every key (current, next, previous). Default: <secretId>-jwks.")
  public String jwksSecretId;

  @Pattern(VaultPush.URL_PATTERN)
  @JsonPropertyDescription("Endpoint instead of the region's, for VPC endpoints and compatible stores. Default: the region's endpoint.")
  public String endpoint;
}
