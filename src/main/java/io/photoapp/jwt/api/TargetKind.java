package io.photoapp.jwt.api;

/** Workload kinds the operator can roll. */
public enum TargetKind {
  Deployment,
  StatefulSet,
  DaemonSet
}
