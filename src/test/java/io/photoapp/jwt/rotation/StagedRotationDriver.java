package io.photoapp.jwt.rotation;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.SecretHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Drives JwtSecrets, one per namespace, through one staged rotation in lockstep, as the rotation
 * scenarios do by hand: request it with the rotate-after annotation, play the Deployment controller,
 * move the clock past the propagation delay and the grace period. Then it checks the promises for
 * each: exactly one rotation, no key lost or removed while a live token could still be signed with
 * it, and Secret, status and pod templates agreeing.
 *
 * <p>Each wait calls {@code onTick} between polls (a crash test restarts the operator there), and
 * gives up after {@link #PATIENCE}: a fault costs a retry of a few seconds at most.
 */
final class StagedRotationDriver {
  static final String NAME = "photoapp-jwt";
  static final Duration GRACE = Duration.ofMinutes(15);
  static final Duration PROPAGATION_DELAY = Duration.ofMinutes(2);
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private final OperatorHarness h;
  private final List<String> namespaces;
  private final SecretHistory history;
  private Runnable onTick = () -> { };
  private java.util.function.Supplier<io.photoapp.jwt.runtime.OperatorRuntime> reconciling;
  private final Map<String, String> firstKey = new LinkedHashMap<>();
  private final Map<String, String> secondKey = new LinkedHashMap<>();
  private Instant switchedAt;
  private final List<String> earlyRemovals = new java.util.concurrent.CopyOnWriteArrayList<>();

  StagedRotationDriver(OperatorHarness h, List<String> namespaces, SecretHistory history) {
    this.h = h;
    this.namespaces = List.copyOf(namespaces);
    this.history = history;
    this.reconciling = h::operator;
  }

  /** Which operator reconciles now (the leader, when several run); by default the harness's. */
  StagedRotationDriver reconciling(java.util.function.Supplier<io.photoapp.jwt.runtime.OperatorRuntime> which) {
    this.reconciling = which;
    return this;
  }

  private long successes(io.photoapp.jwt.runtime.OperatorRuntime operator, String ns) {
    return operator == null ? 0 : (long) operator.metrics().registry().find("operator.sdk.reconciliations.success")
        .tag("namespace", ns).tag("name", NAME).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  StagedRotationDriver onTick(Runnable action) {
    this.onTick = action;
    return this;
  }

  /** A production JwtSecret rolling the Deployment backend, in every namespace. */
  void create() {
    for (String ns : namespaces) {
      h.namespace(ns, Map.of());
      h.deployment(ns, "backend", Map.of());
      h.apply(JwtSecrets.named("photoapp-jwt")
          .in(ns)
          .production()
          .timing("@every 720h", "15m", "2m", "10m")
          .restarts(Targets.deployment("backend")));
    }
    awaitAll("the first key", js -> js.getStatus().phase == Phase.Idle && js.getStatus().keyId != null);
    namespaces.forEach(ns -> firstKey.put(ns, h.get(ns, NAME).getStatus().keyId));
  }

  /** Asks for one planned rotation (what {@code rotate} does) and drives it to its end. */
  void rotate() {
    h.clock.advance(Duration.ofSeconds(1));
    String now = h.clock.instant().toString();
    for (String ns : namespaces) {
      h.client.resources(JwtSecret.class).inNamespace(ns).withName(NAME).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"annotations\":{\"" + Labels.ROTATE_AFTER + "\":\"" + now + "\"}}}");
    }
    // Publish, and the publish rollout.
    awaitAll("the publish rollout", js -> js.getStatus().phase == Phase.Publishing && js.getStatus().nextKeyId != null
        && Conditions.isTrue(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE));
    namespaces.forEach(ns -> secondKey.put(ns, h.get(ns, NAME).getStatus().nextKeyId));

    // Switch once the propagation delay has passed; the clock stands still until every switch rollout is done.
    h.clock.advance(PROPAGATION_DELAY.plusSeconds(1));
    switchedAt = h.clock.instant();
    pokeAll();
    awaitAll("the switch rollout", js -> js.getStatus().phase == Phase.Retiring && js.getStatus().previousKeyExpiresAt != null);

    // A minute before the grace ends, every previous key must still be there.
    h.clock.set(switchedAt.plus(GRACE).minusSeconds(60));
    pokeAllAndAwaitReconciles();
    for (String ns : namespaces) {
      if (!h.secret(ns, NAME).getData().containsKey("jwt-secret-key-previous")) {
        earlyRemovals.add(ns);
      }
    }

    // Retire once it has ended.
    h.clock.set(switchedAt.plus(GRACE).plusSeconds(1));
    pokeAll();
    awaitAll("the retirement rollout", js -> js.getStatus().phase == Phase.Idle && js.getStatus().previousKeyId == null
        && Conditions.isTrue(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE));
  }

  private void pokeAll() {
    namespaces.forEach(ns -> h.poke(ns, NAME));
  }

  /** Pokes every JwtSecret and waits until the operator (a new one, after a restart) has reconciled each since. */
  private void pokeAllAndAwaitReconciles() {
    var operator = reconciling.get();
    Map<String, Long> before = new LinkedHashMap<>();
    namespaces.forEach(ns -> before.put(ns, successes(operator, ns)));
    pokeAll();
    awaitAll("a reconcile after the poke", js -> {
      String ns = js.getMetadata().getNamespace();
      var now = reconciling.get();
      return successes(now, ns) > (now == operator ? before.get(ns) : 0);
    });
  }

  /** Polls every JwtSecret until each meets {@code condition}, playing the Deployment controller meanwhile. */
  private void awaitAll(String what, Predicate<JwtSecret> condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    java.util.Set<String> pending = new java.util.LinkedHashSet<>(namespaces);
    while (true) {
      onTick.run();
      h.completeRollouts();
      // One list per poll, not one read per JwtSecret: the matrix tests drive a few hundred at once.
      for (JwtSecret js : h.client.resources(JwtSecret.class).inAnyNamespace().list().getItems()) {
        if (NAME.equals(js.getMetadata().getName()) && js.getStatus() != null && condition.test(js)) {
          pending.remove(js.getMetadata().getNamespace());
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        String example = pending.iterator().next();
        throw new AssertionError("waiting for " + what + ": " + pending.size() + " JwtSecrets never got there, e.g. "
            + example + " with status " + io.fabric8.kubernetes.client.utils.Serialization.asJson(h.get(example, NAME).getStatus()));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** What broke a promise in one namespace; empty when every promise held. */
  List<String> brokenPromises(String ns) {
    return brokenPromises(ns, false);
  }

  /**
   * What broke a promise in one namespace. With {@code eventsMayBeLost}, an operator may have died
   * between a Secret write and its Rotated event, or the server refused the event for good, so an
   * event may be missing, never doubled.
   */
  List<String> brokenPromises(String ns, boolean eventsMayBeLost) {
    List<String> broken = new ArrayList<>();
    String k1 = firstKey.get(ns);
    String k2 = secondKey.get(ns);
    JwtSecret js = h.get(ns, NAME);
    var st = js.getStatus();
    check(broken, Objects.equals(st.keyId, k2) && !k2.equals(k1), "status.keyId is " + st.keyId + ", not the published " + k2);
    check(broken, st.nextKeyId == null && st.previousKeyId == null, "status still names a next or previous key");
    check(broken, Integer.valueOf(1).equals(st.rotationCount), "status.rotationCount is " + st.rotationCount);
    check(broken, "Manual".equals(st.lastRotationReason), "status.lastRotationReason is " + st.lastRotationReason);

    Secret s = h.secret(ns, NAME);
    check(broken, k2.equals(idOf(s, "jwt-secret-key")), "the Secret's current key is not " + k2);
    check(broken, !s.getData().containsKey("jwt-secret-key-next") && !s.getData().containsKey("jwt-secret-key-previous"),
        "the Secret still holds a next or previous key");
    check(broken, "1".equals(s.getMetadata().getAnnotations().get(Labels.ROTATION_COUNT)),
        "the Secret's rotation-count is " + s.getMetadata().getAnnotations().get(Labels.ROTATION_COUNT));
    check(broken, k2.equals(h.keySetOn(ns, "backend", NAME)), "the pod template's key set is " + h.keySetOn(ns, "backend", NAME));

    check(broken, !earlyRemovals.contains(ns), "the previous key was gone a minute before its grace ended");
    List<SecretHistory.Version> versions = history.versions(ns, NAME);
    boolean k1Gone = false;
    boolean k2Seen = false;
    boolean switched = false;
    Instant publishedAt = null;
    for (SecretHistory.Version v : versions) {
      if (publishedAt == null && k2.equals(v.next())) {
        publishedAt = v.seenAt();
      }
      if (!switched && k2.equals(v.current()) && publishedAt != null) {
        // Pods that started before the publish must have had the propagation delay to read the next key.
        check(broken, !v.seenAt().isBefore(publishedAt.plus(PROPAGATION_DELAY)),
            "the switch came at " + v.seenAt() + ", before the propagation delay after the publish at " + publishedAt);
      }
      check(broken, !v.deleted(), "the Secret was deleted");
      check(broken, v.keys().stream().allMatch(id -> id.equals(k1) || id.equals(k2)),
          "a version held a key that is neither " + k1 + " nor " + k2 + ": " + v.keys());
      check(broken, v.jwks().equals(v.keys()), "a version's JWK set " + v.jwks() + " is not its keys " + v.keys());
      if (k2.equals(v.current())) {
        check(broken, k2Seen, "the new key became current without being published first");
        switched = true;
      } else {
        check(broken, !switched, "the current key went back to " + v.current() + " after the switch");
      }
      if (v.holds(k2)) {
        k2Seen = true;
      } else {
        check(broken, !k2Seen, "the published key " + k2 + " left the Secret");
      }
      if (v.holds(k1)) {
        check(broken, !k1Gone, "the old key " + k1 + " came back after it was retired");
      } else if (!k1Gone) {
        k1Gone = true;
        check(broken, !v.seenAt().isBefore(switchedAt.plus(GRACE)),
            "the old key left at " + v.seenAt() + ", before its grace ended at " + switchedAt.plus(GRACE));
      }
    }
    check(broken, k1Gone && switched, "the history never showed the switch and the retirement: " + versions.size() + " versions");

    long replaced = countOf(ns, "Key " + k2 + " replaced " + k1);
    check(broken, replaced == 1 || eventsMayBeLost && replaced == 0, "the switch was announced " + replaced + " times");
    long published = countOf(ns, "Published next key " + k2);
    check(broken, published == 1 || eventsMayBeLost && published == 0, "the publish was announced " + published + " times");
    long retired = countOf(ns, "Previous key " + k1 + " retired");
    check(broken, retired == 1 || eventsMayBeLost && retired == 0, "the retirement was announced " + retired + " times");
    return broken;
  }

  /** Sum of the counts of the Rotated events on the JwtSecret whose message starts so. */
  private long countOf(String ns, String messageStart) {
    return h.events(ns).stream()
        .filter(e -> NAME.equals(e.getInvolvedObject().getName()) && "Rotated".equals(e.getReason())
            && e.getMessage().startsWith(messageStart))
        .mapToLong(Event::getCount).sum();
  }

  String firstKey(String ns) {
    return firstKey.get(ns);
  }

  String secondKey(String ns) {
    return secondKey.get(ns);
  }

  private static String idOf(Secret s, String dataKey) {
    String v = s.getData().get(dataKey);
    return v == null ? null : KeyIds.of(KeyValue.ofUtf8(Base64.getDecoder().decode(v)));
  }

  private static void check(List<String> broken, boolean ok, String message) {
    if (!ok && !broken.contains(message)) {
      broken.add(message);
    }
  }
}
