package io.photoapp.jwt.api;

/** Where a rotation stands. */
public enum Phase {
  Idle,
  Publishing,
  /**
   * Status only ({@code approval: Manual}): the next key is published and rolled out, and the switch
   * waits for the annotation {@code jwt.photoapp.io/approve-switch: <next key id>}. The Secret records
   * Publishing.
   */
  AwaitingApproval,
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
