package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** One label requirement, as in a Kubernetes label selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SelectorRequirement {
  @Required
  @JsonPropertyDescription("The label key.")
  public String key;

  @Required
  @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
  @JsonDeserialize(using = LenientEnum.class)
  public SelectorOperator operator;

  @JsonPropertyDescription("Values for In and NotIn.")
  public List<String> values;
}
