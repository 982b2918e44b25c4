package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** A non-empty label selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetSelector {
  @Size(min = 1, max = Limits.SELECTOR_TERMS)
  @JsonPropertyDescription("Labels the workloads must all carry. At most 16.")
  public Map<String, @Size(max = Limits.LABEL_VALUE) String> matchLabels;

  @Size(min = 1, max = Limits.SELECTOR_TERMS)
  @JsonPropertyDescription("Label requirements the workloads must all meet. At most 16.")
  public List<SelectorRequirement> matchExpressions;
}
