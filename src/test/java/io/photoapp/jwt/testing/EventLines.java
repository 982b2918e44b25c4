package io.photoapp.jwt.testing;

import io.photoapp.jwt.status.EventIntent;
import java.util.List;

/** Events a stage returned for the Reporter to send, as the lines a recording EventRecorder writes ("Warning PushFailed: ..."). */
public final class EventLines {
  private EventLines() {}

  public static List<String> of(List<EventIntent> events) {
    return events.stream().map(EventLines::of).toList();
  }

  public static String of(EventIntent e) {
    return (e.warning() ? "Warning" : "Normal") + " " + e.reason() + ": " + e.message();
  }
}
