package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One label requirement, as in a Kubernetes label selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SelectorRequirement {
  @Required
  @Size(max = Limits.LABEL_KEY)
  @JsonPropertyDescription("The label key.")
  public String key;

  @Required
  @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
  @JsonDeserialize(using = LenientEnum.class)
  public SelectorOperator operator;

  @Size(max = Limits.SELECTOR_VALUES)
  @JsonPropertyDescription("Values for In and NotIn; at most 64, each at most 63 characters.")
  public List<@Size(max = Limits.LABEL_VALUE) String> values;
}
