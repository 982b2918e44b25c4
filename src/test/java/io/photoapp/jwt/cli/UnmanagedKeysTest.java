package io.photoapp.jwt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.policy.Finding;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnmanagedKeysTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jwt-secret-key", "JWT_SECRET_KEY", "jwt_secret", "JWT_SECRET", "jwt-secret", "jwtSecret",
      "JwtSecretKey", "jwt_key", "JWT-KEY", "app.jwt.secret", "OLD_JWT_SECRET_KEY"})
  void namesThatHoldAJwtKey(String dataKey) {
    assertThat(UnmanagedKeys.looksLikeJwtKey(dataKey)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jwt-algorithm", "jwt-access-token-expire-minutes", "jwks-secret.json", "JWT_ISSUER",
      "secret-key", "DATABASE_PASSWORD"})
  void namesThatDoNot(String dataKey) {
    assertThat(UnmanagedKeys.looksLikeJwtKey(dataKey)).isFalse();
  }

  @ParameterizedTest(name = "{0} breaks {1}")
  @CsvSource(delimiter = '|', value = {
      "placeholder          | super-secret-key-change-me-in-production-please | weak-key",
      "guide placeholder    | GENERATE_UNIQUE_64_CHAR_SECRET_FOR_PRODUCTION     | weak-key",
      "short                | k3Hq9-Zt1aQ9wLp0sXr2                               | minimum-length,entropy",
      "one character        | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | low-entropy",
      "short hex            | 0123456789abcdef0123456789abcdef                   | entropy",
      "64 urlsafe           | 5mX0c3QkzT1aQ9wAZt1aQ9wLp0sXr2Bqk3Hq9-Zt1aQ9wLp0sXr2Bq_Hq9-Zt1aQ9w |"})
  void valuesAreJudgedByTheRulesEveryProfileShares(String name, String value, String rules) {
    List<String> expected = rules == null ? List.of() : List.of(rules.split(","));
    assertThat(UnmanagedKeys.judge(value)).extracting(Finding::rule).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(UnmanagedKeys.judge(value)).extracting(Finding::message).noneMatch(m -> m.contains(value));
  }
}
