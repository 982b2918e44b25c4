package io.photoapp.jwt.api;

/** A day of a rotation window, as spec.rotation.windows[].days spells it. */
public enum Weekday {
  Mon, Tue, Wed, Thu, Fri, Sat, Sun;

  public java.time.DayOfWeek toDayOfWeek() {
    return java.time.DayOfWeek.of(ordinal() + 1);
  }
}
