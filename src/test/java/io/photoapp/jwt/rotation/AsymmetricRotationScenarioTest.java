package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Asymmetric keys through a staged rotation: a service that reads only the ConfigMap's public JWK Set
 * accepts every token the app signs with the private key from the Secret, at every stage.
 */
class AsymmetricRotationScenarioTest extends RotationScenarios {
  static final String JWKS = NAME + "-jwks";

  static Stream<Arguments> algorithms() {
    Stream<Arguments> fast = Stream.of(Algorithm.values()).filter(Algorithm::isAsymmetric)
        .map(a -> argumentSet(a + " in test" + (a.family() == Algorithm.Family.RSA ? ", 2048 bits" : ""), a, "test", 2048));
    return Stream.concat(fast, Stream.of(argumentSet("RS256 in production, 3072 bits by default", Algorithm.RS256, "production", 0)));
  }

  /** A JwtSecret of the algorithm rolling the backend; {@code size} 0 leaves spec.key.size out. */
  void applyJwtSecret(Algorithm algorithm, String environment, int size) {
    JwtSecrets jwtSecret = JwtSecrets.named(NAME).in(NS).environment(Environment.parse(environment).orElseThrow())
        .algorithm(algorithm).timing("@every 720h", "15m", "2m", "10m").restarts(Targets.deployment("backend"));
    h.apply(size > 0 && algorithm.family() == Algorithm.Family.RSA ? jwtSecret.keySize(size) : jwtSecret);
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void verifiersThatReadOnlyTheConfigMapAcceptEveryTokenAcrossAStagedRotation(Algorithm algorithm, String environment, int size)
      throws Exception {
    applyJwtSecret(algorithm, environment, size);
    JwtSecret created = created();
    String k1 = created.getStatus().keyId;
    assertThat(h.keySetOn(NS, "backend", NAME)).as("creating the first key restarts nothing").isNull();

    // Created: the Secret holds the private key three ways, the ConfigMap its public half.
    Secret s = h.secret(NS, NAME);
    assertThat(OperatorHarness.data(s, "jwt-algorithm")).isEqualTo(algorithm.name());
    JWK current = JWK.parse(OperatorHarness.data(s, "private.jwk.json"));
    assertThat(current.getKeyID()).isEqualTo(k1);
    assertThat(current.isPrivate()).isTrue();
    assertThat(OperatorHarness.data(s, "jwt-secret-key")).isEqualTo(OperatorHarness.data(s, "private.jwk.json"));
    assertThat(OperatorHarness.data(s, "private.pem")).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(OperatorHarness.data(s, "public.pem")).startsWith("-----BEGIN PUBLIC KEY-----");
    if (algorithm.family() == Algorithm.Family.RSA) {
      assertThat(((RSAKey) current).size()).isEqualTo(environment.equals("production") ? 3072 : 2048);
    }
    assertThat(publishedIds()).containsExactly(k1);
    JWK published = publicSet().getKeyByKeyId(k1);
    assertThat(published.isPrivate()).isFalse();
    assertThat(published.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    assertThat(published.getAlgorithm().getName()).isEqualTo(algorithm.name());
    String oldToken = sign(current, algorithm);
    assertThat(verifies(oldToken, algorithm)).isTrue();

    // Publish: the next key's public half is in the ConfigMap before anything signs with it, and the
    // Secret and ConfigMap are written before the pod template.
    drainRequests();
    JwtSecret publishing = step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true);
    String k2 = publishing.getStatus().nextKeyId;
    assertThat(publishedIds()).containsExactly(k1, k2);
    assertThat(writes()).containsSubsequence("secrets/photoapp-jwt", "configmaps/photoapp-jwt-jwks", "deployments/backend");
    s = h.secret(NS, NAME);
    assertThat(JWK.parse(OperatorHarness.data(s, "private.jwk.json")).getKeyID()).as("still signs with the current key").isEqualTo(k1);
    JWK next = JWK.parse(OperatorHarness.data(s, "jwt-secret-key-next"));
    assertThat(next.getKeyID()).isEqualTo(k2);
    String newToken = sign(next, algorithm);
    assertThat(verifies(oldToken, algorithm)).isTrue();
    assertThat(verifies(newToken, algorithm)).as("the new key verifies from the publish stage on").isTrue();

    // Switch: the Secret's private key is the new one; both tokens still verify.
    h.completeRollouts();
    step(() -> h.clock.advance(Duration.ofMinutes(2)), Phase.Switching, js -> true);
    s = h.secret(NS, NAME);
    assertThat(JWK.parse(OperatorHarness.data(s, "private.jwk.json")).getKeyID()).isEqualTo(k2);
    assertThat(OperatorHarness.data(s, "jwt-secret-key-previous")).isNotNull();
    assertThat(publishedIds()).containsExactly(k2, k1);
    assertThat(verifies(oldToken, algorithm)).isTrue();
    assertThat(verifies(newToken, algorithm)).isTrue();

    // Retiring: the old key's tokens verify until the grace ends.
    step(h::completeRollouts, Phase.Retiring, js -> true);
    stays(() -> h.clock.advance(Duration.ofMinutes(14)), Phase.Retiring);
    assertThat(publishedIds()).containsExactly(k2, k1);
    assertThat(verifies(oldToken, algorithm)).isTrue();

    // Retired: the old public key leaves the ConfigMap with the Secret's previous key.
    step(() -> h.clock.advance(Duration.ofMinutes(2)), Phase.Idle, js -> js.getStatus().previousKeyId == null);
    assertThat(publishedIds()).containsExactly(k2);
    assertThat(verifies(oldToken, algorithm)).isFalse();
    assertThat(verifies(newToken, algorithm)).isTrue();
  }

  @Test
  void hmacJwtSecretsGetNoConfigMapAndNoKeyPairFiles() {
    applyJwtSecret(JwtSecrets::direct);
    created();
    step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    assertThat(configMap()).isNull();
    assertThat(h.secret(NS, NAME).getData()).doesNotContainKeys("private.jwk.json", "private.pem", "public.pem");
  }

  @Test
  void theConfigMapIsOwnedLikeTheSecretAndWrittenOnlyWhenItsContentDiffers() throws Exception {
    h.apply(JwtSecrets.named("photoapp-jwt").in("photoapp").test().deleteWithOwner().algorithm(Algorithm.ES256));
    JwtSecret js = created();
    assertThat(Conditions.find(js.getStatus().conditions, Conditions.READY).get().getMessage())
        .contains("public keys in ConfigMap " + JWKS);
    ConfigMap map = configMap();
    assertThat(map.getMetadata().getLabels()).containsEntry(Labels.MANAGED, "true");
    assertThat(map.getMetadata().getAnnotations()).containsEntry(Labels.OWNER, NS + "/" + NAME)
        .containsEntry(Labels.OWNER_UID, js.getMetadata().getUid());
    assertThat(map.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(js.getMetadata().getUid()))
        .satisfies(ref -> assertThat(ref.getController()).isTrue());
    String version = map.getMetadata().getResourceVersion();

    // A reconcile that changes nothing writes nothing.
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"rotation\":{\"propagationDelay\":\"3m\"}}}");
    h.awaitStatus(NS, NAME, x -> x.getStatus().observedGeneration == 2);
    assertThat(configMap().getMetadata().getResourceVersion()).isEqualTo(version);

    // Edited or deleted by someone: put back as it was.
    String jwks = map.getData().get("jwks.json");
    h.client.configMaps().inNamespace(NS).withName(JWKS).edit(c -> {
      c.getData().put("jwks.json", "{\"keys\":[]}");
      return c;
    });
    Awaitility.await().until(() -> jwks.equals(configMap().getData().get("jwks.json")));
    h.client.configMaps().inNamespace(NS).withName(JWKS).delete();
    Awaitility.await().until(() -> configMap() != null && jwks.equals(configMap().getData().get("jwks.json")));

    // No key material anywhere but the Secret.
    Secret s = h.secret(NS, NAME);
    String d = JWK.parse(OperatorHarness.data(s, "private.jwk.json")).toJSONObject().get("d").toString();
    String pemBody = OperatorHarness.data(s, "private.pem").lines().skip(1).findFirst().orElseThrow();
    String status = io.fabric8.kubernetes.client.utils.Serialization.asJson(h.get(NS, NAME).getStatus());
    String events = io.fabric8.kubernetes.client.utils.Serialization.asJson(h.client.v1().events().inNamespace(NS).list());
    for (String text : List.of(status, events, io.fabric8.kubernetes.client.utils.Serialization.asJson(configMap()))) {
      assertThat(text).doesNotContain(d).doesNotContain(pemBody);
    }
  }

  @Test
  void deletingARetainJwtSecretLeavesAPlainConfigMapWithThePublicKeysTheSecretKeeps() throws Exception {
    applyJwtSecret(Algorithm.ES384, "test", 0);
    String k1 = created().getStatus().keyId;
    step(() -> request(Labels.ROTATE_AFTER), Phase.Publishing, js -> true);
    assertThat(publishedIds()).hasSize(2);

    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).delete();
    Awaitility.await().until(() -> h.get(NS, NAME) == null);
    // The release follows the Delete event (no finalizer): the Secret first, then the ConfigMap.
    Awaitility.await().until(() -> configMap().getMetadata().getLabels() == null
        || !configMap().getMetadata().getLabels().containsKey(Labels.MANAGED));
    ConfigMap map = configMap();
    assertThat(publishedIds()).as("the next key never became current").containsExactly(k1);
    assertThat(JWKSet.parse(OperatorHarness.data(h.secret(NS, NAME), "jwks-secret.json")).getKeys())
        .as("nor does it stay in the Secret's JWK set").extracting(JWK::getKeyID).containsExactly(k1);
    assertThat(map.getMetadata().getLabels() == null ? Map.of() : map.getMetadata().getLabels()).doesNotContainKey(Labels.MANAGED);
    assertThat(map.getMetadata().getAnnotations() == null ? Map.of() : map.getMetadata().getAnnotations())
        .doesNotContainKeys(Labels.OWNER, Labels.OWNER_UID);
    assertThat(map.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void anAdoptedKeyOnTheWrongCurveTakesTheEmergencyPathAndAGoodOneIsKept() throws Exception {
    String p384 = new ECKeyGenerator(Curve.P_384).generate().toJSONString();
    foreignSecret("wrong-curve", p384);
    String p256 = new ECKeyGenerator(Curve.P_256).generate().toJSONString();
    foreignSecret("good-key", p256);
    for (String name : List.of("wrong-curve", "good-key")) {
      h.apply(JwtSecrets.named(name).in("photoapp").test().adopt().algorithm(Algorithm.ES256));
    }
    JwtSecret replaced = h.awaitStatus(NS, "wrong-curve", js -> js.getStatus().keyId != null
        && "PolicyViolation".equals(js.getStatus().lastRotationReason));
    String newKey = OperatorHarness.data(h.secret(NS, "wrong-curve"), "private.jwk.json");
    assertThat(((ECKey) JWK.parse(newKey)).getCurve()).isEqualTo(Curve.P_256);
    assertThat(JWKSet.parse(h.client.configMaps().inNamespace(NS).withName("wrong-curve-jwks").get().getData().get("jwks.json"))
        .getKeys()).extracting(JWK::getKeyID).containsExactly(replaced.getStatus().keyId);
    assertThat(h.eventReasons(NS, "wrong-curve")).contains("EmergencyRotation");

    JwtSecret kept = h.awaitStatus(NS, "good-key", js -> js.getStatus().keyId != null);
    assertThat(kept.getStatus().lastRotationReason).isEqualTo("Adopted");
    assertThat(kept.getStatus().keyId).isEqualTo(JWK.parse(p256).computeThumbprint().toString().substring(0, 16));
    assertThat(h.secret(NS, "good-key").getData()).containsKeys("private.jwk.json", "private.pem", "public.pem");
  }

  @Test
  void aConfigMapOfThatNameMadeBySomeoneElseIsAConflictUntilAdopted() {
    h.client.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName(JWKS).withNamespace(NS).endMetadata()
        .addToData("jwks.json", "{\"keys\":[]}").build()).create();
    applyJwtSecret(Algorithm.EdDSA, "test", 0);
    JwtSecret js = h.awaitStatus(NS, NAME, x -> Conditions.find(x.getStatus().conditions, Conditions.READY).isPresent());
    assertThat(Conditions.find(js.getStatus().conditions, Conditions.READY).get().getReason()).isEqualTo(Conditions.SECRET_CONFLICT);
    assertThat(Conditions.find(js.getStatus().conditions, Conditions.READY).get().getMessage()).contains("ConfigMap " + JWKS);
    assertThat(h.secret(NS, NAME)).as("nothing is written").isNull();

    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"secret\":{\"adopt\":true}}}");
    JwtSecret ready = h.awaitStatus(NS, NAME, x -> x.getStatus().keyId != null);
    assertThat(Conditions.isTrue(ready.getStatus().conditions, Conditions.READY)).isTrue();
    assertThat(configMap().getMetadata().getLabels()).containsEntry(Labels.MANAGED, "true");
  }

  @Test
  void switchingFromEs256ToHmacKeepsThePreviousPublicKeyUntilItRetiresThenAnEmptySet() throws Exception {
    h.apply(JwtSecrets.named("photoapp-jwt")
        .in("photoapp")
        .test()
        .algorithm(Algorithm.ES256)
        .direct()
        .gracePeriod("15m")
        .restarts(Targets.deployment("backend")));
    String k1 = created().getStatus().keyId;
    h.client.resources(JwtSecret.class).inNamespace(NS).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"key\":{\"algorithm\":\"HS256\"}}}");
    h.awaitStatus(NS, NAME, js -> js.getStatus().observedGeneration == 2);

    step(() -> request(Labels.ROTATE_AFTER), Phase.Switching, js -> true);
    Secret s = h.secret(NS, NAME);
    assertThat(OperatorHarness.data(s, "jwt-algorithm")).isEqualTo("HS256");
    assertThat(s.getData()).as("no key pair files for an HMAC key").doesNotContainKeys("private.jwk.json", "private.pem", "public.pem");
    assertThat(publishedIds()).as("the previous ES256 key still verifies").containsExactly(k1);

    step(h::completeRollouts, Phase.Retiring, js -> true);
    step(() -> h.clock.advance(Duration.ofMinutes(16)), Phase.Idle, js -> js.getStatus().previousKeyId == null);
    assertThat(publishedIds()).isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  void foreignSecret(String name, String privateJwk) {
    h.client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .addToData("jwt-secret-key", base64(privateJwk)).addToData("jwt-algorithm", base64("ES256")).build()).create();
  }

  static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  ConfigMap configMap() {
    return h.client.configMaps().inNamespace(NS).withName(JWKS).get();
  }

  JWKSet publicSet() throws java.text.ParseException {
    return JWKSet.parse(configMap().getData().get("jwks.json"));
  }

  List<String> publishedIds() throws java.text.ParseException {
    return publicSet().getKeys().stream().map(JWK::getKeyID).toList();
  }

  /** What an app signs: a 15-minute token naming its key, with the private JWK from the Secret. */
  static String sign(JWK key, Algorithm algorithm) throws JOSEException {
    JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa)
        : key instanceof ECKey ec ? new ECDSASigner(ec) : new Ed25519Signer((OctetKeyPair) key);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(algorithm.name())).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject("alice").expirationTime(new Date(System.currentTimeMillis() + 900_000)).build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** What a verifier does with the ConfigMap's jwks.json only (the README's example). */
  boolean verifies(String token, Algorithm algorithm) throws Exception {
    JWKSet keys = publicSet();
    if (algorithm == Algorithm.EdDSA) {
      // nimbus's processor has no Ed25519 verifier: pick the key by kid.
      SignedJWT jwt = SignedJWT.parse(token);
      JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
      return key instanceof OctetKeyPair okp && JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())
          && jwt.verify(new Ed25519Verifier(okp))
          && jwt.getJWTClaimsSet().getExpirationTime().after(new Date());
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.parse(algorithm.name()), new ImmutableJWKSet<>(keys)));
    try {
      processor.process(token, null);
      return true;
    } catch (com.nimbusds.jose.proc.BadJOSEException e) {
      return false;
    }
  }

  void drainRequests() throws InterruptedException {
    while (h.server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
      // discard
    }
  }

  /** "secrets/NAME", "configmaps/NAME", "deployments/NAME" of the writes since the last drain, in order. */
  List<String> writes() throws InterruptedException {
    List<String> writes = new ArrayList<>();
    RecordedRequest r;
    while ((r = h.server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      if (List.of("POST", "PATCH", "PUT").contains(r.getMethod())) {
        String path = r.getPath().replaceAll("\\?.*", "");
        for (String kind : List.of("secrets", "configmaps", "deployments")) {
          int at = path.indexOf("/" + kind);
          if (at >= 0) {
            String rest = path.substring(at + 1);
            writes.add(rest.contains("/") ? rest : rest + "/" + nameIn(r));
          }
        }
      }
    }
    return writes;
  }

  private static String nameIn(RecordedRequest r) {
    var matcher = java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(r.getUtf8Body());
    return matcher.find() ? matcher.group(1) : "?";
  }
}
