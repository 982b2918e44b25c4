package io.photoapp.jwt.api;

/** Workload kinds the operator can roll. */
public enum TargetKind {
  Deployment,
  StatefulSet,
  DaemonSet,
  /** An Argo Rollouts {@code Rollout} ({@code argoproj.io/v1alpha1}), restarted through {@code spec.restartAt}. */
  Rollout
}
