package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.PushStatus;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.Secrets;
import io.photoapp.jwt.testing.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store that sends headers and then stalls must not hold the operator: ten JwtSecrets, two in each of
 * five namespaces (a namespace has at most two calls on the store threads), push to one (a tenant could
 * point a store of their own at such a server), and an eleventh JwtSecret's emergency rotation completes
 * while the calls are still stalled; each of the ten then reports StoreUnreachable once its deadline has
 * passed, the six that waited for a thread as well.
 */
@MockApiServer
class StoreStallTest {
  static final String NS = "photoapp";
  static final List<String> TEAMS = IntStream.range(0, 5).mapToObj(i -> "team-" + i).toList();
  StoreServer stalling;
  OperatorHarness h;

  @BeforeEach
  void setUp(OperatorHarness harness) throws Exception {
    h = harness;
    stalling = h.closeAfterOperators(StoreServer.stallingBody(200));
    h.namespace(NS, Map.of());
    for (String ns : TEAMS) {
      h.namespace(ns, Map.of());
      h.create(Secrets.named("vault-token").in(ns).data("token", FakeVault.STATIC_TOKEN));
      h.applyStore(Stores.vault("stalling").in(ns).at(stalling.url()).pathPrefix("apps/{namespace}")
          .tokenFrom("vault-token", "token"));
    }
    h.start(OperatorConfig.defaults().withMetricsPort(-1).withAllowInsecureStores(true));
  }

  /** Two pushers in each team's namespace. */
  private static String ns(String pusher) {
    return TEAMS.get(Integer.parseInt(pusher.substring(pusher.indexOf('-') + 1)) / 2);
  }

  private static PushStatus entry(JwtSecret js) {
    return js.getStatus().push == null || js.getStatus().push.isEmpty() ? null : js.getStatus().push.get(0);
  }

  @Test
  void tenStalledStoresDoNotHoldAnEmergencyRotationElsewhere() {
    // The victim is keyed first, so that the stalled calls' 10 s (real time) run only from the pushers'
    // keys to the victim's rotation, not through the victim's creation as well.
    h.apply(JwtSecrets.named("victim").in("photoapp").production());
    String before = h.awaitStatus(NS, "victim", x -> x.getStatus().keyId != null).getStatus().keyId;
    List<String> pushers = IntStream.range(0, 10).mapToObj(i -> "pusher-" + i).toList();
    for (String name : pushers) {
      h.apply(JwtSecrets.named(name).in(ns(name)).production().pushTo("stalling"));
    }
    // Every pusher has its key, and its call is stalled in flight.
    for (String name : pushers) {
      JwtSecret js = h.awaitStatus(ns(name), name, x -> entry(x) != null && entry(x).pendingKeySet != null);
      assertThat(Conditions.find(js.getStatus().conditions, KeyPush.CONDITION).orElseThrow().getReason())
          .isIn(PushPlanner.IN_PROGRESS, "StoreUnreachable");
    }

    h.clock.advance(Duration.ofSeconds(1));
    h.edit(NS, "victim", js -> {
      if (js.getMetadata().getAnnotations() == null) {
        js.getMetadata().setAnnotations(new java.util.HashMap<>());
      }
      js.getMetadata().getAnnotations().put("jwt.photoapp.io/invalidate-before", h.clock.instant().toString());
      return js;
    });
    JwtSecret rotated = h.awaitStatus(NS, "victim", x -> !before.equals(x.getStatus().keyId));
    assertThat(rotated.getStatus().lastRotationReason).isEqualTo("Emergency");
    // The stalled calls were still in flight: none had reached its deadline yet.
    assertThat(pushers).allSatisfy(name -> assertThat(entry(h.get(ns(name), name)).reason).as(name).isNull());

    // Then each reports StoreUnreachable within its deadline (plus a collection interval).
    for (String name : pushers) {
      JwtSecret js = h.awaitStatus(ns(name), name, x -> entry(x) != null && "StoreUnreachable".equals(entry(x).reason));
      assertThat(entry(js).message).matches("(Vault gave no complete answer|no answer) within 10s");
      assertThat(h.events(ns(name)).stream().filter(e -> name.equals(e.getInvolvedObject().getName()))
          .filter(e -> "PushFailed".equals(e.getReason())).mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum())
          .as("reported once").isEqualTo(1);
      assertThat(entry(js).keySet).isNull();
    }
  }
}
