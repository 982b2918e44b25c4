package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One remaining stage of the rotation in progress, with its earliest time (what {@code status --plan} shows). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageStatus {
  @JsonPropertyDescription("switch, grace end or retire.")
  public String stage;

  @JsonPropertyDescription("The earliest moment it can come (RFC 3339), as planned when the current stage began; rollouts, approval and windows may make it later.")
  public String earliest;

  public StageStatus() {}

  public StageStatus(String stage, String earliest) {
    this.stage = stage;
    this.earliest = earliest;
  }
}
