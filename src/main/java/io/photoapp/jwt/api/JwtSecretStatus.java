package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did; derived from the Secret, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JwtSecretStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Idle, Publishing, AwaitingApproval (approval: Manual; the Secret is still at Publishing), Switching or Retiring.")
  public Phase phase;

  @JsonPropertyDescription("RFC 7638 thumbprint of the current key's JWK, first 16 characters.")
  public String keyId;

  @JsonPropertyDescription("When the current key was created.")
  public String keyCreatedAt;

  @JsonPropertyDescription("Key id of the next key while a staged rotation publishes it.")
  public String nextKeyId;

  @JsonPropertyDescription("When the next key was made (the publish stage's write).")
  public String nextKeyCreatedAt;

  @JsonPropertyDescription("Key id of the previous key during its grace period.")
  public String previousKeyId;

  @JsonPropertyDescription("When the previous key leaves the Secret.")
  public String previousKeyExpiresAt;

  @JsonPropertyDescription("When the current key became current.")
  public String lastRotationTime;

  @JsonPropertyDescription("Why: Created, Adopted, Scheduled, Manual, Emergency, SecretDeleted or PolicyViolation.")
  public String lastRotationReason;

  @JsonPropertyDescription("When the schedule next asks for a rotation.")
  public String nextRotationTime;

  @JsonPropertyDescription("Rotations since creation (creating the first key is not one).")
  public Integer rotationCount;

  @JsonPropertyDescription("The rotation in progress: each remaining stage with its earliest time, from the planner status --plan runs. Absent when Idle.")
  @io.fabric8.generator.annotation.Size(max = 8)
  public List<StageStatus> nextStages;

  @JsonPropertyDescription("Rollout state of every restart target.")
  public List<WorkloadStatus> workloads;

  @JsonPropertyDescription("What each external store in spec.push holds, and how pushing to it fares.")
  public List<PushStatus> push;

  @JsonPropertyDescription("Ready, PolicyCompliant and RolloutComplete, in the standard condition shape.")
  public List<Condition> conditions = new ArrayList<>();
}
