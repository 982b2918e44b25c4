package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The tokens signed with the key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenSpec {
  @Min(1)
  @Max(525600)
  @JsonPropertyDescription("The longest lifetime, in minutes, of any token the app signs with this key (refresh tokens included). Default: 15.")
  public Integer accessTokenExpireMinutes;
}
