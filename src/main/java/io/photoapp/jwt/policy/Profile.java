package io.photoapp.jwt.policy;

import io.photoapp.jwt.api.Environment;
import java.time.Duration;
import java.util.Optional;

/**
 * The rules of one environment (DESIGN section 5). {@code minimumLength} is for HMAC keys;
 * {@code minimumRsaBits} the least RSA modulus.
 */
public record Profile(
    Environment environment,
    int minimumLength,
    int minimumRsaBits,
    int maxTokenMinutes,
    Optional<Integer> recommendedTokenMinutes,
    Optional<Duration> maxRotationInterval,
    boolean graceShorterThanLifetimeIsViolation) {

  public static final Duration PRODUCTION_MAX_INTERVAL = Duration.ofDays(180);

  public static Profile of(Environment environment) {
    return switch (environment) {
      case DEVELOPMENT, TEST -> new Profile(environment, 32, 2048, 60, Optional.empty(), Optional.empty(), false);
      case PRODUCTION -> new Profile(environment, 64, 3072, 60, Optional.of(15), Optional.of(PRODUCTION_MAX_INTERVAL), true);
    };
  }

  /** The profile of the stricter of the JwtSecret's environment and the namespace's minimum. */
  public static Profile effective(Environment declared, Optional<Environment> namespaceMinimum) {
    return of(namespaceMinimum.map(declared::atLeast).orElse(declared));
  }
}
