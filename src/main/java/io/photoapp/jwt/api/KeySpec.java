package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How new keys are made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeySpec {
  @JsonPropertyDescription("JWS algorithm: HS256 (default), HS384 or HS512.")
  @JsonDeserialize(using = LenientEnum.class)
  public Algorithm algorithm;

  @Min(32)
  @Max(4096)
  @JsonPropertyDescription("Characters of the encoded key, 32 to 4096. Default: 64, or more where the algorithm needs it (HS512: 86).")
  public Integer length;

  @JsonPropertyDescription("Alphabet of the key: urlsafe (default, base64url without padding), base64, hex (lower case) or secure (letters, digits and -_.,:+@%=^).")
  @JsonDeserialize(using = LenientEnum.class)
  public Encoding encoding;
}
