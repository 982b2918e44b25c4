package io.photoapp.jwt.api;

/** What happens to the Secret when its JwtSecret is deleted. */
public enum DeletionPolicy {
  Retain,
  Delete
}
