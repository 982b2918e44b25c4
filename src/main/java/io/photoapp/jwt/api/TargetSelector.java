package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** A non-empty label selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetSelector {
  @Size(min = 1)
  @JsonPropertyDescription("Labels the workloads must all carry.")
  public Map<String, String> matchLabels;

  @Size(min = 1)
  @JsonPropertyDescription("Label requirements the workloads must all meet.")
  public List<SelectorRequirement> matchExpressions;
}
