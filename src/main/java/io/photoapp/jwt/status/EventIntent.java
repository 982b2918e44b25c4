package io.photoapp.jwt.status;

/**
 * An Event a stage of a reconcile means to send: decided where it is known (the planner, a push, a
 * restore), sent by the reconciler's one Reporter. Key ids only, never a key value.
 */
public record EventIntent(boolean warning, String reason, String message) {
  public static EventIntent normal(String reason, String message) {
    return new EventIntent(false, reason, message);
  }

  public static EventIntent warning(String reason, String message) {
    return new EventIntent(true, reason, message);
  }
}
