package io.photoapp.jwt.reconciler;

import static io.photoapp.jwt.testing.OperatorHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A new JwtSecret gets the Secret, status and events that DESIGN sections 2 and 3 describe. */
class CreateSecretTest extends OperatorScenario {

  @Test
  void aProductionJwtSecretGetsASecretWithAKeyItsAlgorithmLifetimeAndJwkSet() throws Exception {
    apply(JwtSecrets.named("photoapp-jwt").production());
    JwtSecret js = awaitCondition("photoapp-jwt", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret s = secret("photoapp-jwt");

    String key = OperatorHarness.data(s, "jwt-secret-key");
    assertThat(key).hasSize(64).matches("[A-Za-z0-9_-]{64}");
    assertThat(OperatorHarness.data(s, "jwt-algorithm")).isEqualTo("HS256");
    assertThat(OperatorHarness.data(s, "jwt-access-token-expire-minutes")).isEqualTo("15");
    assertThat(s.getData()).doesNotContainKeys("jwt-secret-key-next", "jwt-secret-key-previous");
    assertThat(s.getType()).isEqualTo("Opaque");

    JWKSet jwks = JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json"));
    assertThat(jwks.getKeys()).hasSize(1);
    JWK jwk = jwks.getKeys().get(0);
    assertThat(jwk.getKeyID()).isEqualTo(js.getStatus().keyId);
    assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwk.getKeyOperations()).containsExactlyInAnyOrder(KeyOperation.SIGN, KeyOperation.VERIFY);
    assertThat(new String(((OctetSequenceKey) jwk).toByteArray(), StandardCharsets.UTF_8)).isEqualTo(key);
    // The key id is the RFC 7638 thumbprint of that JWK, so any reader can recompute it.
    assertThat(jwk.computeThumbprint().toString()).startsWith(js.getStatus().keyId);

    assertThat(s.getMetadata().getLabels()).containsEntry("jwt.photoapp.io/managed", "true");
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry("jwt.photoapp.io/owner", ns + "/photoapp-jwt")
        .containsEntry("jwt.photoapp.io/owner-uid", js.getMetadata().getUid())
        .containsEntry("jwt.photoapp.io/phase", "Idle")
        .containsEntry("jwt.photoapp.io/key-id", js.getStatus().keyId)
        .containsEntry("jwt.photoapp.io/key-created-at", START.toString())
        .containsEntry("jwt.photoapp.io/rotated-at", START.toString())
        .containsEntry("jwt.photoapp.io/rotation-reason", "Created")
        .containsEntry("jwt.photoapp.io/rotation-count", "0")
        .doesNotContainKeys("jwt.photoapp.io/next-key-id", "jwt.photoapp.io/previous-key-id",
            "jwt.photoapp.io/previous-key-expires-at");
    assertThat(s.getMetadata().getOwnerReferences()).as("Retain is the default: no ownerReference").isNullOrEmpty();

    var status = js.getStatus();
    assertThat(status.observedGeneration).isEqualTo(js.getMetadata().getGeneration());
    assertThat(status.phase).hasToString("Idle");
    assertThat(status.keyId).hasSize(16);
    assertThat(status.keyCreatedAt).isEqualTo(START.toString());
    assertThat(status.lastRotationTime).isEqualTo(START.toString());
    assertThat(status.lastRotationReason).isEqualTo("Created");
    assertThat(status.nextRotationTime).isEqualTo(START.plus(Duration.ofDays(180)).toString());
    assertThat(status.rotationCount).isZero();
    assertThat(status.nextKeyId).isNull();
    assertThat(status.previousKeyId).isNull();
    assertThat(conditionOf(js, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");
    assertThat(conditionOf(js, Conditions.READY).getMessage()).contains(status.keyId);
    assertStandardShape(js);

    assertThat(events("photoapp-jwt", "Normal", "Created")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(status.keyId));
  }

  @ParameterizedTest(name = "{0} in {1}: {2} characters of [{3}]")
  @CsvSource({
      "HS256, urlsafe, 64, A-Za-z0-9_-",
      "HS384, urlsafe, 64, A-Za-z0-9_-",
      "HS512, urlsafe, 86, A-Za-z0-9_-",
      "HS256, base64, 64, A-Za-z0-9+/=",
      "HS512, base64, 86, A-Za-z0-9+/=",
      "HS256, hex, 64, 0-9a-f",
      "HS512, hex, 128, 0-9a-f",
      "HS256, secure, 64, 'A-Za-z0-9.,:+@%=^_-'",
      "HS512, secure, 86, 'A-Za-z0-9.,:+@%=^_-'"})
  void eachAlgorithmAndEncodingGetsItsAlphabetAndDefaultLength(String algorithm, String encoding, int length,
      String alphabet) throws Exception {
    apply(JwtSecrets.named("app")
        .production()
        .algorithm(Algorithm.valueOf(algorithm))
        .encoding(Encoding.parse(encoding).orElseThrow()));
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret s = secret("app");
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).hasSize(length).matches("[" + alphabet + "]+");
    assertThat(OperatorHarness.data(s, "jwt-algorithm")).isEqualTo(algorithm);
    JWK jwk = JWKSet.parse(OperatorHarness.data(s, "jwks-secret.json")).getKeys().get(0);
    assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.parse(algorithm));
    assertThat(jwk.getKeyID()).isEqualTo(js.getStatus().keyId);
    assertThat(conditionOf(js, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");
  }

  @Test
  void anExplicitLengthIsHonoured() {
    apply(JwtSecrets.named("app").production().encoding(Encoding.SECURE).length(200));
    awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(key("app", "jwt-secret-key")).hasSize(200);
  }

  @Test
  void theSecretNameAndDataKeysComeFromTheSpec() {
    apply(JwtSecrets.named("app")
        .development()
        .secretName("jwt-secret")
        .dataKeys("JWT_SECRET_KEY", "JWT_SECRET_KEY_OLD", "JWT_SECRET_KEY_NEW")
        .tokenMinutes(30));
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(secret("app")).as("no Secret under the JwtSecret's own name").isNull();
    Secret s = secret("jwt-secret");
    assertThat(s.getData()).containsKeys("JWT_SECRET_KEY", "jwt-algorithm", "jwks-secret.json")
        .doesNotContainKeys("jwt-secret-key", "JWT_SECRET_KEY_OLD", "JWT_SECRET_KEY_NEW");
    assertThat(OperatorHarness.data(s, "JWT_SECRET_KEY")).hasSize(64);
    assertThat(OperatorHarness.data(s, "jwt-access-token-expire-minutes")).isEqualTo("30");
    assertThat(s.getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/key-id", js.getStatus().keyId);
  }

  @Test
  void aChangedTokenLifetimeReachesTheSecretWithoutANewKey() {
    apply(JwtSecrets.named("app").production().tokenMinutes(15));
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    String key = key("app", "jwt-secret-key");
    h.edit(ns, "app", r -> {
      r.getSpec().token.accessTokenExpireMinutes = 10;
      return r;
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> "10".equals(key("app", "jwt-access-token-expire-minutes")));
    assertThat(key("app", "jwt-secret-key")).isEqualTo(key);
    assertThat(h.get(ns, "app").getStatus().keyId).isEqualTo(js.getStatus().keyId);
  }

  @ParameterizedTest(name = "{0} in {1}: next rotation {2}")
  @CsvSource({
      "'', '', 2027-05-27T06:00:00Z",
      "@every 720h, '', 2026-12-28T06:00:00Z",
      "@every 90m, '', 2026-11-28T07:30:00Z",
      "0 3 1 * *, UTC, 2026-12-01T03:00:00Z",
      "0 3 1 * *, Europe/Berlin, 2026-12-01T02:00:00Z",
      "30 9 * * 1, America/New_York, 2026-11-30T14:30:00Z"})
  void theNextRotationFollowsTheScheduleInItsTimeZone(String schedule, String timeZone, String next) {
    apply(JwtSecrets.named("app").development().schedule(schedule).timeZone(timeZone));
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(Instant.parse(js.getStatus().nextRotationTime)).isEqualTo(Instant.parse(next));
    assertThat(js.getStatus().lastRotationReason).isEqualTo("Created");
  }

  @Test
  void aPausedScheduleShowsNoNextRotation() {
    apply(JwtSecrets.named("app").development().paused());
    JwtSecret js = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(js.getStatus().nextRotationTime).isNull();
    assertThat(js.getStatus().keyId).isNotNull();
  }

  @Test
  void twoJwtSecretsGetDifferentKeys() {
    for (String name : Set.of("one", "two")) {
      apply(JwtSecrets.named(name).production());
    }
    JwtSecret one = awaitCondition("one", Conditions.READY, "True", Conditions.SECRET_READY);
    JwtSecret two = awaitCondition("two", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(one.getStatus().keyId).isNotEqualTo(two.getStatus().keyId);
    assertThat(key("one", "jwt-secret-key")).isNotEqualTo(key("two", "jwt-secret-key"));
    assertThat(conditionOf(one, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");
    assertThat(conditionOf(two, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");
  }
}
