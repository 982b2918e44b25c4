package io.photoapp.jwt.api;

/** Whether a planned rotation switches keys on its own or waits for a person. */
public enum Approval {
  /** The switch follows the publish rollout and the propagation delay. */
  Automatic,
  /** The switch also waits for {@code jwt.photoapp.io/approve-switch: <next key id>} on the JwtSecret. */
  Manual
}
