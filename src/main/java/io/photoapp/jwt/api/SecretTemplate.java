package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Labels and annotations the generated Secret carries besides the operator's own (cert-manager's secretTemplate). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretTemplate {
  @JsonPropertyDescription("Labels set on the Secret. Keys under jwt.photoapp.io/ are the operator's and are refused.")
  public Map<String, String> labels;

  @JsonPropertyDescription("Annotations set on the Secret. Keys under jwt.photoapp.io/ are the operator's and are refused.")
  public Map<String, String> annotations;
}
