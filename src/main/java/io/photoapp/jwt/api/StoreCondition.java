package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Namespaces admitted to a cluster store: by name, or by their labels (an entry with both needs both). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreCondition {
  @Size(max = 256)
  @JsonPropertyDescription("Names of admitted namespaces.")
  public List<@Size(max = 63) String> namespaces;

  @JsonPropertyDescription("Labels of admitted namespaces (an empty selector admits every namespace).")
  public LabelSelector namespaceSelector;
}
