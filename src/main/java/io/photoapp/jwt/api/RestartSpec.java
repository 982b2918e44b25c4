package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The workloads rolled at every rotation stage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestartSpec {
  @Size(max = Limits.TARGETS)
  @JsonPropertyDescription("Deployments, StatefulSets and DaemonSets in the same namespace, by name or label selector. They must carry the label jwt.photoapp.io/restartable: \"true\". At most 32.")
  public List<RestartTarget> targets;

  @Size(max = Limits.TEXT)
  @io.fabric8.generator.annotation.Pattern(RotationSpec.DURATION_PATTERN)
  @JsonPropertyDescription("A workload that other JwtSecrets also roll, whose stages fall within this long of each other, is rolled once with every JwtSecret's key-set annotation in one pod-template change. 0s: never wait for another JwtSecret. At most 10m. Default: 30s.")
  public String coalesce;
}
