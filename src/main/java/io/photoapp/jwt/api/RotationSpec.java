package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** When and how keys rotate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RotationSpec {
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";
  public static final String TIME_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

  @Size(max = Limits.TEXT)
  @JsonPropertyDescription("5-field cron expression (evaluated in timeZone), a nickname (@hourly, @daily, @weekly, @monthly, @yearly) or \"@every <duration>\". Default: @every 4320h (180 days).")
  public String schedule;

  @Size(max = Limits.TEXT)
  @JsonPropertyDescription("IANA time zone for a cron schedule. Default: UTC.")
  public String timeZone;

  @JsonPropertyDescription("Staged (default): publish the next key, roll, switch, roll, retire. Direct: switch, roll, retire.")
  @JsonDeserialize(using = LenientEnum.class)
  public RotationStrategy strategy;

  @Size(max = Limits.TEXT)
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription("How long the previous key stays after the switch rollout completed; never less than the token lifetime. Default: 30m.")
  public String gracePeriod;

  @Size(max = Limits.TEXT)
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription("Least wait between the publish and switch stages, for apps that read mounted files. Default: 2m.")
  public String propagationDelay;

  @Size(max = Limits.TEXT)
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription("A stage whose rollout takes longer holds and reports RolloutTimeout. Default: 10m.")
  public String rolloutTimeout;

  @Size(max = Limits.TEXT)
  @Pattern(TIME_PATTERN)
  @JsonPropertyDescription("RFC 3339 time: one planned rotation once this time has passed, unless the current key is newer.")
  public String rotateAfter;

  @Size(max = Limits.TEXT)
  @Pattern(TIME_PATTERN)
  @JsonPropertyDescription("RFC 3339 time: emergency rotation; every key created before this time is dropped at once.")
  public String invalidateBefore;

  @JsonPropertyDescription("true: no scheduled rotation (rotateAfter and invalidateBefore requests still work).")
  public Boolean paused;

  @JsonPropertyDescription("Automatic (default): the switch follows the publish rollout. Manual: a planned rotation publishes the next key, then waits (phase AwaitingApproval) for the annotation jwt.photoapp.io/approve-switch: <next key id>. Emergencies never wait.")
  @JsonDeserialize(using = LenientEnum.class)
  public Approval approval;

  @Size(max = Limits.WINDOWS)
  @JsonPropertyDescription("Times of the week (in timeZone) in which the publish and switch stages of a planned rotation may start; a stage started inside may finish outside. Absent: any time. Emergencies ignore them. At most 16.")
  public java.util.List<RotationWindow> windows;
}
