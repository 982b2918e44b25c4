package io.photoapp.jwt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The guard finds a key wherever it shows, in every form, and stays quiet otherwise. */
class LeakGuardTest {
  static final String KEY = "Zq3vN8xW0pL5tR7yB2mK9cJ4hF6dS1aE_-Uo";
  static final String JWKS = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"abc\",\"k\":\""
      + Base64.getUrlEncoder().withoutPadding().encodeToString("from-the-jwk-set-only".getBytes(StandardCharsets.UTF_8))
      + "\"}]}";
  static OperatorHarness h;

  @BeforeAll
  static void server() {
    h = new OperatorHarness();
    h.namespace("guarded", Map.of());
    h.client.secrets().inNamespace("guarded").resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
        .addToData("jwt-secret-key", b64(KEY)).addToData("jwt-algorithm", b64("HS256"))
        .addToData("jwks-secret.json", b64(JWKS)).build()).create();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void remembersTheKeysOfEverySecretButNotTheirPlainSettings() {
    try (LeakGuard guard = LeakGuard.watch(h.client)) {
      guard.rememberSecrets();
      assertThat(guard.keys()).contains(KEY, "from-the-jwk-set-only").doesNotContain("HS256");
      guard.assertNoLeaks();
    }
  }

  @Test
  void findsAKeyInALogLineInAnyFormAndNeverPrintsIt() {
    for (String form : new String[] {KEY, b64(KEY), Base64.getUrlEncoder().withoutPadding()
        .encodeToString(KEY.getBytes(StandardCharsets.UTF_8))}) {
      try (LeakGuard guard = LeakGuard.watch(h.client)) {
        LoggerFactory.getLogger("io.photoapp.jwt.somewhere").debug("the key is {}", form);
        assertThatThrownBy(guard::assertNoLeaks).hasMessageContaining("log line io.photoapp.jwt.somewhere")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
      }
    }
  }

  @Test
  void findsAKeyInAnExceptionLogged() {
    try (LeakGuard guard = LeakGuard.watch(h.client)) {
      LoggerFactory.getLogger("other").warn("failed", new IllegalStateException("bad value " + KEY));
      assertThatThrownBy(guard::assertNoLeaks).hasMessageContaining("log line other");
    }
  }

  @Test
  void findsAKeyInAnEventMessage() {
    try (LeakGuard guard = LeakGuard.watch(h.client)) {
      h.client.v1().events().inNamespace("guarded").resource(new EventBuilder().withNewMetadata().withName("e")
          .endMetadata().withReason("Leaky").withMessage("key " + KEY).build()).create();
      try {
        assertThatThrownBy(guard::assertNoLeaks).hasMessageContaining("event Leaky");
      } finally {
        h.client.v1().events().inNamespace("guarded").withName("e").delete();
      }
    }
  }

  @Test
  void findsARememberedKeyInAStatus() {
    h.apply(JwtSecrets.named("leaky").in("guarded").development());
    h.client.resources(JwtSecret.class).inNamespace("guarded").withName("leaky").subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"keyId\":\"password123-adopted\"}}");
    try (LeakGuard guard = LeakGuard.watch(h.client)) {
      guard.remember("password123-adopted");
      assertThatThrownBy(guard::assertNoLeaks).hasMessageContaining("status of guarded/leaky");
    } finally {
      h.client.resources(JwtSecret.class).inNamespace("guarded").withName("leaky").delete();
    }
  }

  @Test
  void remembersAKeyThatASecretHeldOnlyForAWhile() {
    try (LeakGuard guard = LeakGuard.watch(h.client)) {
      h.client.secrets().inNamespace("guarded").resource(new SecretBuilder().withNewMetadata().withName("passing").endMetadata()
          .addToData("jwt-secret-key", b64("held-for-a-moment-only-0123456789")).build()).create();
      h.client.secrets().inNamespace("guarded").withName("passing").delete();
      org.awaitility.Awaitility.await().until(() -> guard.keys().contains("held-for-a-moment-only-0123456789"));
      LoggerFactory.getLogger("io.photoapp.jwt.somewhere").info("was {}", "held-for-a-moment-only-0123456789");
      assertThatThrownBy(guard::assertNoLeaks).hasMessageContaining("log line io.photoapp.jwt.somewhere");
    }
  }

  @Test
  void aScopeThatSaysItMakesNoKeyFailsOnOneAndCountsItWithoutShowingIt() {
    try (LeakGuard guard = LeakGuard.watch(h.client)) {
      assertThatThrownBy(guard::assertNoKeys).hasMessageContaining("keys made or remembered in a scope that says it makes none")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("from-the-jwk-set-only"));
    }
    try (OperatorHarness empty = new OperatorHarness(); LeakGuard guard = LeakGuard.watch(empty.client)) {
      empty.namespace("keyless", Map.of());
      guard.assertNoKeys();
    }
  }

  @Test
  void findsAKeyOnTheMetricsPage() {
    try (OperatorHarness own = new OperatorHarness()) {
      own.namespace("metered", Map.of());
      own.start();
      try (LeakGuard guard = LeakGuard.watch(own)) {
        guard.remember(KEY);
        own.operator().metrics().registry().counter("leaky_total", "value", KEY).increment();
        assertThatThrownBy(guard::assertNoLeaks).hasMessageContaining("metrics page of operator 1")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
      }
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
