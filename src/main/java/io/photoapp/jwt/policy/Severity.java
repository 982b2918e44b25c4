package io.photoapp.jwt.policy;

/** A violation makes a JwtSecret non-compliant; a warning is reported only. */
public enum Severity {
  VIOLATION,
  WARNING
}
