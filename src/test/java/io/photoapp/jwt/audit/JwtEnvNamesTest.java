package io.photoapp.jwt.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JwtEnvNamesTest {
  @ParameterizedTest(name = "{0}: key {1}, file {2}, debug {3}, lifetime {4}")
  @CsvSource({
      "JWT_SECRET_KEY,                  true,  false, false, false",
      "jwtSecret,                       true,  false, false, false",
      "JWT_SECRET_KEY_FILE,             true,  true,  false, false",
      "JWT_SECRET_PATH,                 true,  true,  false, false",
      "JWKS_URL,                        false, true,  false, false",
      "DEBUG,                           false, false, true,  false",
      "flask_debug,                     false, false, true,  false",
      "DEBUG_TOOLBAR,                   false, false, false, false",
      "JWT_ACCESS_TOKEN_EXPIRE_MINUTES, false, false, false, true",
      "JWT_REFRESH_TOKEN_EXPIRE_DAYS,   false, false, false, false"})
  void names(String name, boolean key, boolean file, boolean debug, boolean lifetime) {
    assertThat(JwtEnvNames.looksLikeJwtKey(name)).isEqualTo(key);
    assertThat(JwtEnvNames.namesAFile(name)).isEqualTo(file);
    assertThat(JwtEnvNames.isDebug(name)).isEqualTo(debug);
    assertThat(JwtEnvNames.isTokenLifetime(name)).isEqualTo(lifetime);
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({"240, 240", "' 15 ', 15", "4h, ", "-5, ", "'', ", "9999999999, "})
  void minutes(String value, Integer expected) {
    assertThat(JwtEnvNames.minutes(value)).isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest(name = "DEBUG={0} -> {1}")
  @CsvSource({"true, true", "True, true", "1, true", "yes, true", "on, true", "false, false", "0, false", "'', false"})
  void debugOn(String value, boolean on) {
    assertThat(JwtEnvNames.debugOn(value)).isEqualTo(on);
  }
}
