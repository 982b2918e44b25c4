package io.photoapp.jwt.cli;

/** A failure the user can act on; Main prints it as one {@code error: ...} line and exits with 2. */
final class CliError extends RuntimeException {
  CliError(String message) {
    super(message, null, false, false);
  }
}
