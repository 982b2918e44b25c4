package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Rollout state of one restart target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadStatus {
  @JsonPropertyDescription("Deployment, StatefulSet, DaemonSet or Rollout.")
  public TargetKind kind;

  @JsonPropertyDescription("Name of the workload.")
  public String name;

  @JsonPropertyDescription("Key ids the pod template was last set to, current first.")
  public String keySet;

  @JsonPropertyDescription("metadata.generation returned by the operator's patch of the pod template.")
  public Long generation;

  @JsonPropertyDescription("Whether the workload has rolled out that pod template.")
  public Boolean ready;

  @JsonPropertyDescription("Why the workload is not ready, if it is not.")
  public String message;

  public WorkloadStatus() {}

  public WorkloadStatus(TargetKind kind, String name, String keySet, Long generation, boolean ready, String message) {
    this.kind = kind;
    this.name = name;
    this.keySet = keySet;
    this.generation = generation;
    this.ready = ready;
    this.message = message;
  }
}
