package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How new keys are made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeySpec {
  @JsonPropertyDescription("JWS algorithm: HS256 (default), HS384 or HS512 (HMAC, a shared secret); RS256, RS384, RS512, PS256, PS384 or PS512 (RSA); ES256, ES384 or ES512 (EC P-256, P-384, P-521); EdDSA (Ed25519). Asymmetric keys are kept as a private JWK and PEM in the Secret, and their public keys in the ConfigMap <secret name>-jwks.")
  @JsonDeserialize(using = LenientEnum.class)
  public Algorithm algorithm;

  @Min(32)
  @Max(4096)
  @JsonPropertyDescription("HMAC only: characters of the encoded key, 32 to 4096. Default: 64, or more where the algorithm needs it (HS512: 86).")
  public Integer length;

  @JsonPropertyDescription("HMAC only: alphabet of the key: urlsafe (default, base64url without padding), base64, hex (lower case) or secure (letters, digits and -_.,:+@%=^).")
  @JsonDeserialize(using = LenientEnum.class)
  public Encoding encoding;

  @Min(2048)
  @Max(8192)
  @JsonPropertyDescription("RSA only (RS*, PS*): modulus size in bits, 2048 to 8192. Default: 3072, the least production accepts.")
  public Integer size;
}
