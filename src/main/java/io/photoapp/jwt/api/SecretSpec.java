package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Where the key is stored; fixed once the Secret exists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretSpec {
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  public static final String DATA_KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  @Pattern(NAME_PATTERN)
  @Size(max = Limits.NAME)
  @JsonPropertyDescription("Name of the Secret, in the JwtSecret's namespace. Default: the JwtSecret's name.")
  public String name;

  @Pattern(DATA_KEY_PATTERN)
  @Size(max = Limits.NAME)
  @JsonPropertyDescription("Data key of the current key. Default: jwt-secret-key.")
  public String key;

  @Pattern(DATA_KEY_PATTERN)
  @Size(max = Limits.NAME)
  @JsonPropertyDescription("Data key of the previous key, present only during its grace period. Default: jwt-secret-key-previous.")
  public String previousKey;

  @Pattern(DATA_KEY_PATTERN)
  @Size(max = Limits.NAME)
  @JsonPropertyDescription("Data key of the next key, present only while a staged rotation publishes it. Default: jwt-secret-key-next.")
  public String nextKey;

  @JsonPropertyDescription("Retain (default): the Secret stays, as a plain Secret, when the JwtSecret is deleted. Delete: it is deleted with it.")
  @JsonDeserialize(using = LenientEnum.class)
  public DeletionPolicy deletionPolicy;

  @JsonPropertyDescription("Take over a pre-existing Secret that the operator did not create. Default: false.")
  public Boolean adopt;

  @JsonPropertyDescription("Labels and annotations for the Secret. The operator's own label and annotations "
      + "(jwt.photoapp.io/...) always win; removing an entry here does not remove it from the Secret.")
  public SecretTemplate template;
}
