package io.photoapp.jwt.api;

/** Where a rotation stands. */
public enum Phase {
  Idle,
  Publishing,
  Switching,
  Retiring;

  public static Phase parse(String value) {
    for (Phase p : values()) {
      if (p.name().equals(value)) {
        return p;
      }
    }
    return Idle;
  }
}
