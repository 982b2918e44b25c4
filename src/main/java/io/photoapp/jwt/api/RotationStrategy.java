package io.photoapp.jwt.api;

/** How a planned rotation reaches the workloads. */
public enum RotationStrategy {
  /** Publish the next key, roll, switch, roll, retire, roll. */
  Staged,
  /** Switch, roll, retire, roll: zero-downtime only for single-replica targets. */
  Direct
}
