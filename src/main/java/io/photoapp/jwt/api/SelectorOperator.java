package io.photoapp.jwt.api;

/** Operators of a label selector requirement. */
public enum SelectorOperator {
  In,
  NotIn,
  Exists,
  DoesNotExist
}
