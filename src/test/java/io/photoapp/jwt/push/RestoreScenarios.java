package io.photoapp.jwt.push;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.PushStatus;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Pushes;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the restore scenarios, one class a store: the namespace, a {@link LeakGuard}, the
 * JwtSecret that pushes to a store and restores from it, and what losing everything but the store means.
 * Each class adds its stores and starts the operator.
 */
@MockApiServer
abstract class RestoreScenarios {
  static final String NS = "photoapp";
  static final String NAME = "photoapp-jwt";
  OperatorHarness h;
  LeakGuard leaks;

  @BeforeEach
  void namespace(OperatorHarness harness, LeakGuard guard) {
    h = harness;
    leaks = guard;
    h.namespace(NS, Map.of());
  }

  /** A production JwtSecret that pushes to one store and restores from it. */
  JwtSecret applyJwtSecret(Pushes push) {
    return h.apply(JwtSecrets.named(NAME).in(NS).production().timing("@every 720h", "30m", "2m", "10m")
        .pushTo(push.restore()));
  }

  static Optional<PushStatus> entry(JwtSecret js, String target) {
    return js.getStatus() == null || js.getStatus().push == null ? Optional.empty()
        : js.getStatus().push.stream().filter(e -> target.equals(e.target)).findFirst();
  }

  static Optional<Condition> ready(JwtSecret js) {
    return js.getStatus() == null ? Optional.empty() : Conditions.find(js.getStatus().conditions, Conditions.READY);
  }

  List<String> messages(String reason) {
    return h.events(NS).stream().filter(e -> reason.equals(e.getReason())).map(Event::getMessage).toList();
  }

  /** What a cluster rebuild (or a namespace deleted) leaves: no JwtSecret, no Secret, no Event. */
  void loseEverythingButTheStore() {
    h.deleteAndAwaitGone(NS, NAME);
    leaks.remember(h.secret(NS, NAME));
    // A reconcile of the deleted JwtSecret still under way may write the Secret once more: delete until it stays gone.
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .during(Duration.ofMillis(800)).until(() -> {
          var again = h.secret(NS, NAME);
          if (again == null) {
            return true;
          }
          leaks.remember(again);
          h.client.secrets().inNamespace(NS).withName(NAME).delete();
          return false;
        });
    h.client.v1().events().inNamespace(NS).delete();
  }
}
