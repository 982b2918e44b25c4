package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.Secrets;
import io.photoapp.jwt.status.Conditions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The profiles of DESIGN section 5 as a user meets them: refused keys, reported settings, stricter namespaces, shared keys. */
class PolicyEnforcementTest extends OperatorScenario {

  @ParameterizedTest(name = "{0}, {1} {2} of length {3}: {4}")
  @CsvSource({
      "production, HS256, urlsafe, 32, minimum-length",
      "development, HS512, urlsafe, 64, entropy",
      "test, HS256, hex, 32, entropy"})
  void aSpecThatMakesKeysTheProfileRejectsGetsNoKey(String environment, String algorithm, String encoding, int length,
      String rule) {
    apply(JwtSecrets.named("app")
        .environment(Environment.parse(environment).orElseThrow())
        .algorithm(Algorithm.valueOf(algorithm))
        .encoding(Encoding.parse(encoding).orElseThrow())
        .length(length));
    JwtSecret js = awaitCondition("app", Conditions.POLICY_COMPLIANT, "False", Conditions.POLICY_VIOLATION);
    assertThat(conditionOf(js, Conditions.POLICY_COMPLIANT).getMessage()).contains(rule + ":");
    assertThat(conditionOf(js, Conditions.READY)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo(Conditions.POLICY_VIOLATION);
    });
    assertStandardShape(js);
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("app")).as("no key generated").isNull();
    assertThat(h.get(ns, "app").getStatus().keyId).isNull();
    assertThat(events("app", "Warning", "PolicyViolation")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(rule));
  }

  @Test
  void aTokenLifetimeOverTheLimitIsAViolationButTheKeyIsStillManaged() {
    apply(JwtSecrets.named("app").production().tokenMinutes(90));
    JwtSecret js = awaitCondition("app", Conditions.POLICY_COMPLIANT, "False", Conditions.POLICY_VIOLATION);
    String message = conditionOf(js, Conditions.POLICY_COMPLIANT).getMessage();
    assertThat(message).contains("token-lifetime:").contains("90m").contains("60m")
        // Production also asks the grace period (30m) to cover the token lifetime.
        .contains("grace-period:");
    assertThat(conditionOf(js, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(js.getStatus().keyId).isNotNull();
    assertThat(key("app", "jwt-secret-key")).hasSize(64);
    assertThat(key("app", "jwt-access-token-expire-minutes")).isEqualTo("90");
    assertThat(events("app", "Warning", "PolicyViolation")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("token-lifetime"));
  }

  @Test
  void aTokenLifetimeAboveTheRecommendationIsOnlyAWarning() {
    apply(JwtSecrets.named("app").production().tokenMinutes(30));
    JwtSecret js = awaitCondition("app", Conditions.POLICY_COMPLIANT, "True", Conditions.COMPLIANT);
    assertThat(conditionOf(js, Conditions.POLICY_COMPLIANT).getMessage()).contains("token-lifetime").contains("15m");
    assertThat(events("app", "Warning", "PolicyViolation")).isEmpty();
  }

  @Test
  void aNamespaceLabelRaisesADevelopmentJwtSecretToProductionRules() {
    String strict = ns + "-strict";
    h.namespace(strict, Map.of("jwt.photoapp.io/minimum-environment", "production"));
    for (String namespace : new String[] {ns, strict}) {
      h.apply(JwtSecrets.named("app").in(namespace).development().length(48));
    }
    JwtSecret lenient = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(conditionOf(lenient, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");
    assertThat(key("app", "jwt-secret-key")).hasSize(48);

    JwtSecret raised = h.awaitStatus(strict, "app", r -> condition(r, Conditions.POLICY_COMPLIANT)
        .filter(c -> "False".equals(c.getStatus())).isPresent());
    assertThat(conditionOf(raised, Conditions.POLICY_COMPLIANT).getMessage())
        .contains("minimum-length:").contains("production");
    assertThat(h.secret(strict, "app")).isNull();
    assertThat(h.events(strict)).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("PolicyViolation");
    });
  }

  @Test
  void labellingTheNamespaceLaterJudgesItsJwtSecretsAgainWithoutAnEdit() {
    apply(JwtSecrets.named("app").development().length(48));
    JwtSecret lenient = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(conditionOf(lenient, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");

    h.client.namespaces().withName(ns).edit(n -> {
      n.getMetadata().setLabels(Map.of("jwt.photoapp.io/minimum-environment", "production"));
      return n;
    });
    JwtSecret raised = h.awaitStatus(ns, "app", r -> condition(r, Conditions.POLICY_COMPLIANT)
        .filter(c -> "False".equals(c.getStatus())).isPresent());
    assertThat(conditionOf(raised, Conditions.POLICY_COMPLIANT).getMessage()).contains("minimum-length:").contains("production");
    // The key already in the Secret stays until it is rotated: nobody is logged out by a label.
    assertThat(key("app", "jwt-secret-key")).hasSize(48);

    h.client.namespaces().withName(ns).edit(n -> {
      n.getMetadata().setLabels(Map.of());
      return n;
    });
    h.awaitStatus(ns, "app", r -> condition(r, Conditions.POLICY_COMPLIANT)
        .filter(c -> "True".equals(c.getStatus())).isPresent());
  }

  @Test
  void ofTwoJwtSecretsSharingAKeyOnlyTheLaterHolderIsInViolation() {
    String shared = new KeyGenerator().generate(Encoding.URLSAFE, 64).reveal();
    leaks.remember(shared);
    String sharedId = KeyIds.of(KeyValue.of(shared));
    // Two Secrets left behind by earlier JwtSecrets (Retain keeps key-created-at): the same key, dated
    // differently. The later one goes to "alpha", which comes first by name and is applied first.
    plainSecret("newer", shared, "2026-11-20T00:00:00Z");
    plainSecret("older", shared, "2026-11-01T00:00:00Z");
    apply(JwtSecrets.named("alpha").production().secretName("newer").adopt());
    awaitCondition("alpha", Conditions.READY, "True", Conditions.ADOPTED);
    apply(JwtSecrets.named("zeta").production().secretName("older").adopt());
    JwtSecret zeta = awaitCondition("zeta", Conditions.READY, "True", Conditions.ADOPTED);
    assertThat(zeta.getStatus().keyId).isEqualTo(sharedId);
    assertThat(conditionOf(zeta, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");

    // alpha holds the key that appeared later: judged again, it is in violation and its key is replaced.
    h.pokeAndAwaitReconcile(ns, "alpha");
    JwtSecret alpha = awaitStatus("alpha", r -> !sharedId.equals(r.getStatus().keyId));
    assertThat(alpha.getStatus().lastRotationReason).isEqualTo("PolicyViolation");
    assertThat(key("newer", "jwt-secret-key")).isNotEqualTo(shared);
    assertThat(events("alpha", "Warning", "PolicyViolation")).singleElement().satisfies(e ->
        assertThat(e.getMessage()).contains("duplicate-key").doesNotContain("zeta").doesNotContain("older"));
    for (Event e : events("alpha")) {
      assertThat(e.getMessage()).doesNotContain("zeta").doesNotContain("older");
    }
    assertThat(Serialization.asJson(alpha.getStatus())).doesNotContain("zeta").doesNotContain("older");

    h.pokeAndAwaitReconcile(ns, "zeta");
    JwtSecret zetaAfter = h.get(ns, "zeta");
    assertThat(zetaAfter.getStatus().keyId).isEqualTo(sharedId);
    assertThat(key("older", "jwt-secret-key")).isEqualTo(shared);
    assertThat(conditionOf(zetaAfter, Conditions.POLICY_COMPLIANT).getStatus()).isEqualTo("True");
    assertThat(events("zeta", "Warning", "PolicyViolation")).isEmpty();
  }

  private void plainSecret(String name, String key, String keyCreatedAt) {
    create(Secrets.named(name).annotate("jwt.photoapp.io/key-created-at", keyCreatedAt).data("jwt-secret-key", key));
  }
}
