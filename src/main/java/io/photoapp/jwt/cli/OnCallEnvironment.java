package io.photoapp.jwt.cli;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;

/** What the on-call commands take from outside: the clock, standard input and how often --wait polls. */
record OnCallEnvironment(Clock clock, InputStream stdin, Duration pollInterval) {
  static OnCallEnvironment production() {
    return new OnCallEnvironment(Clock.systemUTC(), System.in, Duration.ofSeconds(1));
  }
}
