package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What a JwtSecret asks for: a profile, where the key lives, how it is made, rotated and rolled out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JwtSecretSpec {
  @Required
  @JsonPropertyDescription("Policy profile: development, test or production. The namespace label jwt.photoapp.io/minimum-environment can raise it.")
  @JsonDeserialize(using = LenientEnum.class)
  public Environment environment;

  @JsonPropertyDescription("The Secret the key is written to. Fixed once the Secret exists.")
  public SecretSpec secret;

  @JsonPropertyDescription("How keys are made. A change applies from the next rotation on.")
  public KeySpec key;

  @JsonPropertyDescription("The tokens the application signs with the key.")
  public TokenSpec token;

  @JsonPropertyDescription("When and how the key is rotated.")
  public RotationSpec rotation;

  @JsonPropertyDescription("Workloads rolled at every rotation stage so that their pods pick up the keys.")
  public RestartSpec restart;

  @Size(max = Limits.PUSH)
  @JsonPropertyDescription("Stores (JwtSecretStore or ClusterJwtSecretStore, defined by admins) kept in step with the Secret: the current key, and a JWK set of every key while next and previous keys exist.")
  public List<PushTarget> push;
}
