package io.photoapp.jwt.audit;

import io.photoapp.jwt.api.Environment;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the workload rules know of a namespace: its effective environment (the strictest of its
 * JwtSecrets' environments and its {@code minimum-environment} label; empty when it has neither), the
 * Secrets its JwtSecrets manage, and whether an unmanaged Secret holds a JWT-looking data key (when
 * a whole Secret is read; the operator, which caches no such Secret, answers false).
 */
public record NamespaceContext(String namespace, Optional<Environment> environment, Set<String> managedSecrets,
    Predicate<String> holdsJwtKey) {

  /** The strictest of the JwtSecrets' environments and the label's. */
  public static Optional<Environment> effective(Collection<Environment> jwtSecrets, Optional<Environment> label) {
    Optional<Environment> strictest = jwtSecrets.stream().reduce(Environment::atLeast);
    if (strictest.isEmpty()) {
      return label;
    }
    return Optional.of(label.map(strictest.get()::atLeast).orElse(strictest.get()));
  }

  /** The environment's name, or {@code unspecified}. */
  public String environmentName() {
    return nameOf(environment);
  }

  public static String nameOf(Optional<Environment> environment) {
    return environment.map(Environment::value).orElse(UNSPECIFIED);
  }

  /** The environment of a namespace with no JwtSecret and no label. */
  public static final String UNSPECIFIED = "unspecified";
}
