package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One workload, or a set of them by selector, to roll at every stage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestartTarget {
  @Required
  @JsonPropertyDescription("Deployment, StatefulSet, DaemonSet, or Rollout (Argo Rollouts, argoproj.io/v1alpha1).")
  @JsonDeserialize(using = LenientEnum.class)
  public TargetKind kind;

  @Pattern(SecretSpec.NAME_PATTERN)
  @Size(max = Limits.NAME)
  @JsonPropertyDescription("Name of the workload. Give either name or selector.")
  public String name;

  @Size(min = 1)
  @JsonPropertyDescription("Label selector of the workloads; must not be empty. Give either name or selector.")
  public TargetSelector selector;

  @JsonPropertyDescription("false: roll the target but do not hold the rotation for its rollout. Default: true.")
  public Boolean waitForRollout;
}
