package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.Secrets;
import io.photoapp.jwt.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reconcile with nothing changed writes nothing: no Secret update, no status patch, no Event.
 * Measured on the mock server: after a few pokes, the pokes' own PATCHes are the only writes.
 */
class IdempotenceTest extends OperatorScenario {
  static final JwtSecrets MANAGED = JwtSecrets.named("app").production();

  static Stream<Arguments> states() {
    JwtSecrets app = JwtSecrets.named("app").production();
    return Stream.of(
        Arguments.of("Ready", MANAGED,
            (Predicate<JwtSecret>) js -> is(js, Conditions.READY, "True", Conditions.SECRET_READY)),
        Arguments.of("a settings violation (the key is still managed)", app.copy().tokenMinutes(90),
            (Predicate<JwtSecret>) js -> is(js, Conditions.POLICY_COMPLIANT, "False", Conditions.POLICY_VIOLATION)
                && is(js, Conditions.READY, "True", Conditions.SECRET_READY)),
        Arguments.of("no key: the spec makes keys the profile rejects", app.copy().length(32),
            (Predicate<JwtSecret>) js -> is(js, Conditions.READY, "False", Conditions.POLICY_VIOLATION)),
        Arguments.of("InvalidSpec", app.copy().schedule("every tuesday"),
            (Predicate<JwtSecret>) js -> is(js, Conditions.READY, "False", Conditions.INVALID_SPEC)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void pokingAJwtSecretThatNeedsNothingWritesNothing(String state, JwtSecrets jwtSecret, Predicate<JwtSecret> settled) {
    apply(jwtSecret);
    awaitStatus("app", settled);
    assertPokesAloneWrite("app");
  }

  @Test
  void anAdoptedSecretIsNotWrittenAgain() {
    create(Secrets.named("app").data("jwt-secret-key", new io.photoapp.jwt.keys.KeyGenerator()
        .generate(io.photoapp.jwt.api.Encoding.URLSAFE, 64).reveal()));
    apply(JwtSecrets.named("app").development().adopt());
    awaitCondition("app", Conditions.READY, "True", Conditions.ADOPTED);
    assertPokesAloneWrite("app");
  }

  @Test
  void aSecretConflictIsNotReportedAgain() {
    create(Secrets.named("app").data("jwt-secret-key", new io.photoapp.jwt.keys.KeyGenerator()
        .generate(io.photoapp.jwt.api.Encoding.URLSAFE, 64).reveal()));
    apply(MANAGED);
    awaitCondition("app", Conditions.READY, "False", Conditions.SECRET_CONFLICT);
    assertPokesAloneWrite("app");
  }

  @Test
  void conditionsKeepTheirLastTransitionTimeWhenNothingChanged() {
    apply(MANAGED);
    JwtSecret before = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.clock.advance(Duration.ofHours(2));
    try {
      for (int i = 0; i < 3; i++) {
        h.pokeAndAwaitReconcile(ns, "app");
      }
    } finally {
      h.clock.advance(Duration.ofHours(-2));
    }
    JwtSecret after = h.get(ns, "app");
    assertThat(after.getStatus().conditions).extracting(c -> c.getType() + "@" + c.getLastTransitionTime())
        .containsExactlyElementsOf(before.getStatus().conditions.stream()
            .map(c -> c.getType() + "@" + c.getLastTransitionTime()).toList());
    assertThat(Serialization.asJson(after.getStatus())).isEqualTo(Serialization.asJson(before.getStatus()));
  }

  @Test
  void aRestartedOperatorReadsTheSecretAndWritesNothing() {
    apply(MANAGED);
    JwtSecret before = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    h.pokeAndAwaitReconcile(ns, "app");
    Secret secretBefore = secret("app");
    h.stopOperator();
    h.takeWrites();
    h.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> h.successfulReconciles(ns, "app") >= 1);
    assertPokesAloneWrite("app");
    assertThat(secret("app")).isEqualTo(secretBefore);
    assertThat(Serialization.asJson(h.get(ns, "app").getStatus())).isEqualTo(Serialization.asJson(before.getStatus()));
  }

  /** Pokes three times (with the clock an hour on) and checks that only the pokes wrote anything. */
  private void assertPokesAloneWrite(String name) {
    // One poke first, so that writes still due to the creation are behind us.
    h.pokeAndAwaitReconcile(ns, name);
    h.takeWrites();
    Secret secretBefore = h.client.secrets().inNamespace(ns).withName(name).get();
    String statusBefore = Serialization.asJson(h.get(ns, name).getStatus());
    int eventsBefore = h.events(ns).size();
    h.clock.advance(Duration.ofHours(1));
    try {
      for (int i = 0; i < 3; i++) {
        h.pokeAndAwaitReconcile(ns, name);
      }
    } finally {
      h.clock.advance(Duration.ofHours(-1));
    }
    String jwtSecretPath = "/apis/jwt.photoapp.io/v1alpha1/namespaces/" + ns + "/jwtsecrets/" + name;
    List<String> writes = h.takeWrites().stream().filter(w -> w.contains("/namespaces/" + ns + "/")).toList();
    assertThat(writes).as("writes to namespace %s", ns).hasSize(3)
        .allSatisfy(w -> assertThat(w).isEqualTo("PATCH " + jwtSecretPath));
    assertThat(h.client.secrets().inNamespace(ns).withName(name).get()).isEqualTo(secretBefore);
    assertThat(Serialization.asJson(h.get(ns, name).getStatus())).isEqualTo(statusBefore);
    assertThat(h.events(ns)).hasSize(eventsBefore);
  }

  private static boolean is(JwtSecret js, String type, String status, String reason) {
    return condition(js, type).filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason())).isPresent();
  }
}
