package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A recurring time of the week in which planned rotation stages may start. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RotationWindow {
  public static final String START_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
  public static final String TIME_PATTERN = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";

  @Size(max = 7)
  @JsonDeserialize(contentUsing = LenientEnum.class)
  @JsonPropertyDescription("Days on which the window opens: Mon, Tue, Wed, Thu, Fri, Sat, Sun. Empty or absent: every day.")
  public List<Weekday> days;

  @Required
  @Size(max = 5)
  @Pattern(START_PATTERN)
  @JsonPropertyDescription("When the window opens, HH:MM (24-hour) in spec.rotation.timeZone.")
  public String start;

  @Required
  @Size(max = 5)
  @Pattern(TIME_PATTERN)
  @JsonPropertyDescription("When the window closes, HH:MM (24-hour, 24:00 for midnight) in spec.rotation.timeZone; at or before start: the next day.")
  public String end;
}
