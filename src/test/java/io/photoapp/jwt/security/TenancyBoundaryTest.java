package io.photoapp.jwt.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * What a namespace user can make the operator do to another namespace's JwtSecrets with what is public
 * (a published JWK Set) and the Secrets of their own namespace: each test is an exploit.
 */
@MockApiServer(harness = Lifecycle.PER_CLASS)
class TenancyBoundaryTest {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  static OperatorHarness h;
  LeakGuard leaks;
  String ns;

  @BeforeAll
  static void startOperator(OperatorHarness harness) {
    h = harness;
    h.start();
  }

  @BeforeEach
  void namespace(LeakGuard guard) {
    leaks = guard;
    ns = "tenancy-boundary-" + NAMESPACES.incrementAndGet();
    h.namespace(ns, Map.of());
  }

  /**
   * An asymmetric key id is the thumbprint of the public key, which the public keys' ConfigMap (and
   * any /.well-known/jwks.json served from it) gives to everyone. A labelled Secret in the attacker's
   * namespace holding a "private" JWK made of the victim's public members and a made-up {@code d},
   * dated long ago, must not make the victim's key a duplicate: that would be an emergency rotation
   * of another tenant's key (everyone signed out, every target restarted) at will, again after each
   * new key is published.
   */
  @Test
  void aForgedPrivateJwkOfAnotherNamespacesPublicKeyForcesNoEmergencyRotationThere() throws Exception {
    String victimNs = ns + "-victim";
    String keyId = keyedVictim(victimNs);

    // In the attacker's own namespace: the operator's label, an early key-created-at, and the forged JWK.
    earlyHolder("bait", true, b64(forgedFromPublished(victimNs)));

    JwtSecret after = assertUntouched(victimNs, keyId);
    assertThat(after.getStatus().lastRotationReason).isNotEqualTo("PolicyViolation");
  }

  /**
   * The control: the victim's real key pair, copied into a labelled Secret elsewhere and dated earlier, is
   * the same key, and the duplicate-key rule replaces the later holder's, the victim's (the check above
   * must not have switched the rule off for key pairs).
   */
  @Test
  void aCopyOfTheRealKeyPairIsStillADuplicate() throws Exception {
    String victimNs = ns + "-victim";
    String keyId = keyedVictim(victimNs);
    var real = h.client.secrets().inNamespace(victimNs).withLabel("jwt.photoapp.io/managed", "true").list().getItems().stream()
        .filter(x -> x.getData() != null && x.getData().containsKey("jwt-secret-key")).findFirst().orElseThrow();

    earlyHolder("copy", true, real.getData().get("jwt-secret-key"));

    h.pokeAndAwaitReconcile(victimNs, "victim");
    JwtSecret after = h.awaitStatus(victimNs, "victim", js -> !keyId.equals(js.getStatus().keyId)
        || !Conditions.isTrue(js.getStatus().conditions, Conditions.POLICY_COMPLIANT));
    assertThat(h.events(victimNs)).anySatisfy(e -> assertThat(e.getReason()).isIn("PolicyViolation", "EmergencyRotation"));
    assertThat(after.getMetadata().getName()).isEqualTo("victim");
  }

  /** The same forged JWK, adopted by a JwtSecret of the attacker's: its Secret is then whole in the cache, and managed. */
  @Test
  void aForgedPrivateJwkAdoptedInAnotherNamespaceForcesNoEmergencyRotationThere() throws Exception {
    String victimNs = ns + "-victim";
    String keyId = keyedVictim(victimNs);
    earlyHolder("bait", false, b64(forgedFromPublished(victimNs)));
    h.apply(JwtSecrets.named("mine").in(ns).production().algorithm(Algorithm.ES256).secretName("bait").adopt());
    h.awaitStatus(ns, "mine", js -> js.getStatus() != null && js.getStatus().keyId != null);

    assertUntouched(victimNs, keyId);
  }

  /** The victim: an ES256 JwtSecret in a namespace of its own, ready; its key id. */
  private static String keyedVictim(String victimNs) {
    h.namespace(victimNs, Map.of());
    h.apply(JwtSecrets.named("victim").in(victimNs).production().algorithm(Algorithm.ES256));
    return h.awaitStatus(victimNs, "victim", js -> Conditions.isTrue(js.getStatus().conditions, Conditions.READY))
        .getStatus().keyId;
  }

  /** What anyone can read, the victim's published public key, with a made-up private part. */
  private static String forgedFromPublished(String victimNs) throws Exception {
    ConfigMap published = h.client.configMaps().inNamespace(victimNs).withName("victim-jwks").get();
    ECKey publicKey = (ECKey) JWKSet.parse(published.getData().get("jwks.json")).getKeys().get(0);
    byte[] d = new byte[32];
    new SecureRandom().nextBytes(d);
    return new ECKey.Builder(publicKey).d(Base64URL.encode(d)).build().toJSONString();
  }

  /** A Secret in the attacker's namespace holding {@code keyData} (base64) as an ES256 key made in 2000. */
  private void earlyHolder(String name, boolean labelled, String keyData) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .addToAnnotations("jwt.photoapp.io/key-created-at", "2000-01-01T00:00:00Z").endMetadata();
    if (labelled) {
      secret.editMetadata().addToLabels("jwt.photoapp.io/managed", "true").endMetadata();
    }
    h.client.secrets().inNamespace(ns).resource(secret.withType("Opaque").addToData("jwt-secret-key", keyData)
        .addToData("jwt-algorithm", b64("ES256")).build()).create();
  }

  /** After two reconciles the victim keeps its key, compliant, with no violation or emergency reported. */
  private static JwtSecret assertUntouched(String victimNs, String keyId) {
    h.pokeAndAwaitReconcile(victimNs, "victim");
    h.pokeAndAwaitReconcile(victimNs, "victim");
    JwtSecret after = h.get(victimNs, "victim");
    assertThat(after.getStatus().keyId).as("the victim's key is not replaced").isEqualTo(keyId);
    assertThat(Conditions.isTrue(after.getStatus().conditions, Conditions.POLICY_COMPLIANT)).isTrue();
    assertThat(h.events(victimNs)).noneSatisfy(e -> assertThat(e.getReason()).isIn("PolicyViolation", "EmergencyRotation"));
    return after;
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
