package io.photoapp.jwt.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.keys.JwkEntry;
import io.photoapp.jwt.keys.JwkSets;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The photo app stand-in reads keys as README "What the app must do" says, and agrees with the operator on key ids. */
class KeyRingTest {
  static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  static final String K1 = "k1-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static final String K2 = "k2-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  @TempDir
  Path dir;

  static KeyRing pod(Clock clock, String... env) throws Exception {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < env.length; i += 2) {
      m.put(env[i], env[i + 1]);
    }
    return KeyRing.load(m, clock);
  }

  @Test
  void anEnvKeySignsUnderTheKeyIdTheOperatorGivesIt() throws Exception {
    KeyRing pod = pod(NOW, "JWT_SECRET_KEY", K1);
    assertThat(pod.signingKeyId()).contains(KeyIds.of(KeyValue.of(K1)));
  }

  @Test
  void aTokenOfTheOldKeyVerifiesWherePodsHoldItAsPreviousAndNowhereElse() throws Exception {
    String token = pod(NOW, "JWT_SECRET_KEY", K1).sign("alice");
    KeyRing switched = pod(NOW, "JWT_SECRET_KEY", K2, "JWT_SECRET_KEY_PREVIOUS", K1);
    KeyRing onlyNew = pod(NOW, "JWT_SECRET_KEY", K2);
    assertThat(switched.verify(token).accepted()).isTrue();
    assertThat(switched.verify(token).subject()).isEqualTo("alice");
    assertThat(onlyNew.verify(token).refusal()).isEqualTo("unknown-kid");
  }

  @Test
  void aPublishedNextKeyVerifiesTheNewPodsTokensAtOldPods() throws Exception {
    String fromNewPod = pod(NOW, "JWT_SECRET_KEY", K2, "JWT_SECRET_KEY_PREVIOUS", K1).sign("bob");
    KeyRing published = pod(NOW, "JWT_SECRET_KEY", K1, "JWT_SECRET_KEY_NEXT", K2);
    assertThat(published.verify(fromNewPod).accepted()).isTrue();
    assertThat(published.signingKeyId()).contains(KeyIds.of(KeyValue.of(K1)));
  }

  @Test
  void theSecretsJwkSetAddsItsKeysAndAVerifyOnlyKeyNeverSigns() throws Exception {
    Path jwks = dir.resolve("jwks-secret.json");
    Files.writeString(jwks, JwkSets.toJson(List.of(
        new JwkEntry(KeyValue.of(K1), KeyIds.of(KeyValue.of(K1)), Algorithm.HS256, true),
        new JwkEntry(KeyValue.of(K2), KeyIds.of(KeyValue.of(K2)), Algorithm.HS256, false))));
    KeyRing pod = pod(NOW, "JWT_SECRET_KEY", K1, "JWT_JWKS_FILE", jwks.toString());
    assertThat(pod.verifyKeyIds()).containsExactlyInAnyOrder(KeyIds.of(KeyValue.of(K1)), KeyIds.of(KeyValue.of(K2)));
    assertThat(pod.verify(pod(NOW, "JWT_SECRET_KEY", K2).sign("carol")).accepted()).isTrue();
    assertThat(pod.signingKeyId()).contains(KeyIds.of(KeyValue.of(K1)));
  }

  @Test
  void anExpiredTokenIsRefusedAsExpiredNotAsUnknown() throws Exception {
    String token = pod(NOW, "JWT_SECRET_KEY", K1, "JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "1").sign("dave");
    KeyRing later = pod(Clock.offset(NOW, Duration.ofMinutes(2)), "JWT_SECRET_KEY", K1);
    assertThat(later.verify(token).refusal()).isEqualTo("expired");
  }

  @Test
  void es256SignerPodsAndVerifierPodsReadingOnlyThePublicKeysAgree() throws Exception {
    String jwk = new ECKeyGenerator(Curve.P_256).generate().toJSONString();
    KeyValue key = KeyValue.of(jwk);
    String kid = KeyIds.of(key, Algorithm.ES256);
    List<JwkEntry> entries = List.of(new JwkEntry(key, kid, Algorithm.ES256, true));
    Path secret = dir.resolve("jwks-secret.json");
    Path configMap = dir.resolve("jwks.json");
    Files.writeString(secret, JwkSets.toJson(entries));
    Files.writeString(configMap, JwkSets.publicJson(entries));
    KeyRing signer = pod(NOW, "JWT_JWKS_FILE", secret.toString());
    KeyRing verifier = pod(NOW, "JWT_JWKS_FILE", configMap.toString());
    assertThat(signer.signingKeyId()).contains(kid);
    assertThat(verifier.canSign()).isFalse();
    String token = signer.sign("erin");
    assertThat(verifier.verify(token).accepted()).isTrue();
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    assertThat(verifier.verify(forged).accepted()).isFalse();
  }
}
