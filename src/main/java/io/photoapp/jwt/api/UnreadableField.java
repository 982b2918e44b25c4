package io.photoapp.jwt.api;

/**
 * A field of a JwtSecret that this operator could not read (a wrong type, an unknown enum value),
 * read as absent instead. The path names the field ({@code spec.key.length}); the problem says what
 * is wrong with it and may quote a short enum value, never a long one.
 */
public record UnreadableField(String path, String problem) {
  /** The problem as status reports it: "path problem". */
  @Override
  public String toString() {
    return path + " " + problem;
  }

  /** Whether the field lies in the spec (the user's input) rather than in status. */
  public boolean inSpec() {
    return path.equals("spec") || path.startsWith("spec.");
  }
}
