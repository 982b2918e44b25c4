package io.photoapp.jwt.push;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.PushStatus;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.status.EventIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the external stores of {@code spec.push} in step with the Secret. Called once the Secret is
 * written (and at steady state): it pushes to a store only when the key set differs from the one the
 * store last received (status {@code push[]}), and a failure never blocks or undoes the Kubernetes
 * side: it becomes condition {@code Pushed=False}, a Warning event {@code PushFailed}, the metric
 * {@code jwtsecret_push_failures_total}, and a retry after 10s, doubling up to 10m. The Events are
 * returned in the {@link Report}, for the reconciler to send.
 */
public final class KeyPush {
  /** The condition type. */
  public static final String CONDITION = "Pushed";
  /** Its reason when every store holds the key set; failures use {@link PushException.Reason} names. */
  public static final String IN_SYNC = "InSync";
  /** The deadline of every store call: connect, headers and the whole reply. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** How long a reconcile waits for its store call before it goes on without it. */
  public static final Duration WAIT_FOR_CALL = Duration.ofMillis(250);
  /** How soon a reconcile looks again for the outcome of a call still in flight. */
  public static final Duration COLLECT_AFTER = Duration.ofMillis(500);
  private static final Logger LOG = LoggerFactory.getLogger(KeyPush.class);

  private final Function<JwtSecret, List<Target>> resolver;
  private final StoreCalls calls;
  private final Map<Provider, Supplier<Store>> stores;
  private final Map<Provider, Store> made = new EnumMap<>(Provider.class);
  private final OperatorMetrics metrics;
  /**
   * The entries of the last sync per JwtSecret (by uid). A reconcile can start before the informer
   * has seen the status that the one before it wrote; what this process pushed itself is newer than
   * such a status, so that a stale read never pushes twice.
   */
  private final Map<String, List<PushStatus>> recent = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<PushStatus>> eldest) {
          return size() > 4096;
        }
      });

  /** What a sync leaves for status: the entries, the Pushed condition, when to look again, and the Events to send, in order. */
  public record Report(List<PushStatus> entries, Optional<PushPlanner.Verdict> condition, Optional<Duration> recheckAfter,
      List<EventIntent> events) {
    /** The sooner of this report's recheck and another. */
    public Optional<Duration> sooner(Optional<Duration> other) {
      if (recheckAfter.isEmpty()) {
        return other;
      }
      return other.isEmpty() || recheckAfter.get().compareTo(other.get()) < 0 ? recheckAfter : other;
    }
  }

  /** With the real stores; the AWS and Azure SDKs are loaded only once a target of theirs is pushed to. */
  public KeyPush(KubernetesClient client, StoreResolver resolver, OperatorMetrics metrics) {
    this(resolver::resolve, realStores(ClusterValues.of(client)), metrics);
  }

  /** The stores of each provider, with the identities of the cluster. */
  public static Map<Provider, Supplier<Store>> realStores(ClusterValues values) {
    return Map.of(
        Provider.VAULT, () -> new VaultStore(values, TIMEOUT),
        Provider.AWS_SECRETS_MANAGER, () -> new AwsSecretsManagerStore(values, TIMEOUT),
        Provider.AZURE_KEY_VAULT, () -> new AzureKeyVaultStore(values, TIMEOUT));
  }

  /** With given stores, made on first use. */
  public KeyPush(Function<JwtSecret, List<Target>> resolver, Map<Provider, Supplier<Store>> stores, OperatorMetrics metrics) {
    this.resolver = resolver;
    this.calls = new StoreCalls(TIMEOUT, WAIT_FOR_CALL);
    this.stores = Map.copyOf(stores);
    this.metrics = metrics;
  }

  /**
   * What one sync works with: the JwtSecret, what the stores should hold, and the time. A plain class,
   * not a record: it holds keys, and prints nothing of them.
   */
  private static final class Round {
    private final JwtSecret resource;
    private final String uid;
    private final String owner;
    private final PushPayload payload;
    private final Instant now;
    private final List<EventIntent> events = new ArrayList<>();

    Round(JwtSecret resource, String uid, String owner, PushPayload payload, Instant now) {
      this.resource = resource;
      this.uid = uid;
      this.owner = owner;
      this.payload = payload;
      this.now = now;
    }

    String uid() {
      return uid;
    }

    String owner() {
      return owner;
    }

    PushPayload payload() {
      return payload;
    }

    Instant now() {
      return now;
    }

    String keySet() {
      return payload.keySet();
    }

    String namespace() {
      return resource.getMetadata().getNamespace();
    }

    String name() {
      return resource.getMetadata().getName();
    }

    void tell(EventIntent event) {
      events.add(event);
    }
  }

  /** A target's entry after a round, and whether a call of it is still in flight. */
  private record Result(PushStatus entry, boolean inFlight) {
    static Result of(PushStatus entry) {
      return new Result(entry, false);
    }
  }

  /**
   * Pushes the key state to every target that does not hold it yet and whose backoff, if any, has
   * passed; reads back a store that holds it once its resyncInterval has passed. Never throws.
   */
  public Report sync(JwtSecret resource, KeyState state, List<PushStatus> old, Instant now) {
    List<Target> targets = resolver.apply(resource);
    String uid = String.valueOf(resource.getMetadata().getUid());
    if (targets.isEmpty()) {
      recent.remove(uid);
      return new Report(null, Optional.empty(), Optional.empty(), List.of());
    }
    Round round = new Round(resource, uid, resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName(),
        new PushPayload(state), now);
    List<PushStatus> known = recent.get(uid);
    List<PushStatus> entries = new ArrayList<>();
    boolean inFlight = false;
    for (Target target : targets) {
      Optional<PushStatus> before = PushPlanner.find(known, target.id()).or(() -> PushPlanner.find(old, target.id()));
      Result result = syncTarget(round, target, before);
      entries.add(result.entry());
      inFlight |= result.inFlight();
    }
    recent.put(uid, List.copyOf(entries));
    Optional<Duration> recheck = PushPlanner.recheck(entries, now);
    if (inFlight) {
      // A call still running: look again soon to collect its outcome (or give it up at its deadline).
      recheck = Optional.of(recheck.filter(d -> d.compareTo(COLLECT_AFTER) < 0).orElse(COLLECT_AFTER));
    }
    return new Report(entries, PushPlanner.verdict(entries, round.keySet()), recheck, List.copyOf(round.events));
  }

  private Result syncTarget(Round round, Target target, Optional<PushStatus> before) {
    PushPlanner.Step step = PushPlanner.step(target, round.keySet(), before, round.now());
    if (step != PushPlanner.Step.INVALID) {
      // Present from 0, so that an alert on increase() sees the first failure.
      metrics.pushFailures(round.namespace(), round.name(), target.id());
    }
    if (step == PushPlanner.Step.IN_SYNC && PushPlanner.checkDue(target, before.get(), round.now())) {
      return checkBack(round, target, before.get());
    }
    return act(round, target, step, before);
  }

  /**
   * Reads back a store that holds the key set (at most once per resyncInterval) and rewrites one that
   * differs (edited by hand, rolled back); an AWS secret written less than 10 minutes ago waits for it.
   */
  private Result checkBack(Round round, Target target, PushStatus before) {
    Optional<StoreCalls.Outcome> checked = calls.run(target.namespace(), round.uid() + " check " + target.id(), round.keySet(),
        () -> check(target, round.owner(), round.payload()));
    if (checked.isEmpty()) {
      return new Result(PushPlanner.inSync(target, before), true);
    }
    Object comparison = checked.get().held().orElse(Store.Comparison.SAME);
    if (checked.get().failure().isPresent() || comparison == Store.Comparison.SAME) {
      checked.get().failure().ifPresent(e -> LOG.warn("check of {} at {} failed: {}: {}", round.owner(), target.id(),
          e.reason(), e.getMessage()));
      PushStatus entry = PushPlanner.inSync(target, before);
      entry.lastCheckTime = round.now().toString();
      return Result.of(entry);
    }
    if (comparison == Store.Comparison.WITHOUT_STATE) {
      // Written by an earlier version: the same keys, without what a restore needs. Not drift.
      LOG.info("{} holds key set {} of {} without its state: writing it again", target.id(), round.keySet(), round.owner());
      PushStatus entry = PushPlanner.inSync(target, before);
      entry.keySet = null;
      return act(round, target, PushPlanner.Step.PUSH, Optional.of(entry));
    }
    PushStatus drifted = PushPlanner.drifted(target, before, round.now());
    Optional<Instant> floor = PushPlanner.repairAllowedAt(target, before).filter(round.now()::isBefore);
    if (floor.isPresent()) {
      LOG.info("{} differs from key set {} of {}: rewritten at {} (AWS: one write per secret per 10m)", target.id(),
          round.keySet(), round.owner(), floor.get());
      return Result.of(PushPlanner.throttled(target, Optional.of(drifted), round.keySet(), floor.get()));
    }
    LOG.info("{} differs from key set {} of {}: rewriting it", target.id(), round.keySet(), round.owner());
    return act(round, target, PushPlanner.Step.PUSH, Optional.of(drifted));
  }

  private Result act(Round round, Target target, PushPlanner.Step step, Optional<PushStatus> before) {
    String keySet = round.keySet();
    return switch (step) {
      case IN_SYNC -> Result.of(PushPlanner.inSync(target, before.get()));
      case WAIT -> Result.of(before.get());
      case THROTTLED -> Result.of(PushPlanner.throttled(target, before, keySet,
          PushPlanner.writeAllowedAt(target, keySet, before).orElseThrow()));
      case INVALID -> Result.of(invalid(round, target, before));
      case PUSH -> push(round, target, before);
    };
  }

  private PushStatus invalid(Round round, Target target, Optional<PushStatus> before) {
    PushStatus entry = PushPlanner.invalid(target, before, round.keySet());
    if (before.isEmpty() || !entry.message.equals(before.get().message)) {
      round.tell(EventIntent.warning(EventReasons.PUSH_FAILED, "Cannot push to " + target.id() + ": " + entry.message));
    }
    return entry;
  }

  private Result push(Round round, Target target, Optional<PushStatus> before) {
    Optional<StoreCalls.Outcome> done = calls.run(target.namespace(), round.uid() + " " + target.id(), round.keySet(),
        () -> call(target, round.owner(), round.payload(), before));
    if (done.isEmpty()) {
      return new Result(PushPlanner.pending(target, before, round.keySet()), true);
    }
    return Result.of(report(round, target, before, done.get()));
  }

  /**
   * Reads the key set back from the JwtSecret's restore target (spec.push[].restore), on the store pool
   * as pushes are: empty without a restore target. A refused target reads nothing: its refusal is the
   * failure. Never throws.
   */
  public Optional<RestorePlanner.Read> readRestoreTarget(JwtSecret resource) {
    Optional<Target> found = resolver.apply(resource).stream().filter(Target::restore).findFirst();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Target target = found.get();
    if (target.refusal().isPresent()) {
      return Optional.of(new RestorePlanner.Read(target, RestorePlanner.Answer.FAILED, Optional.empty(), target.refusal()));
    }
    String owner = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    Optional<StoreCalls.Outcome> done = calls.run(target.namespace(), resource.getMetadata().getUid() + " read " + target.id(), "read",
        () -> read(target, owner));
    if (done.isEmpty()) {
      return Optional.of(new RestorePlanner.Read(target, RestorePlanner.Answer.IN_FLIGHT, Optional.empty(), Optional.empty()));
    }
    StoreCalls.Outcome outcome = done.get();
    if (outcome.failure().isPresent()) {
      LOG.warn("reading the key set of {} back from {} failed: {}: {}", owner, target.id(),
          outcome.failure().get().reason(), outcome.failure().get().getMessage());
      return Optional.of(new RestorePlanner.Read(target, RestorePlanner.Answer.FAILED, Optional.empty(), outcome.failure()));
    }
    Optional<KeyState> held = outcome.held().filter(KeyState.class::isInstance).map(KeyState.class::cast);
    return Optional.of(new RestorePlanner.Read(target, held.isPresent() ? RestorePlanner.Answer.FOUND
        : RestorePlanner.Answer.EMPTY, held, Optional.empty()));
  }

  private StoreCalls.Outcome read(Target target, String owner) {
    try {
      return StoreCalls.Outcome.read(store(target.resolved().provider()).read(target));
    } catch (PushException e) {
      return StoreCalls.Outcome.failed(e);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("read of {} from {} failed unexpectedly: {}", owner, target.id(), e.getClass().getName());
      return StoreCalls.Outcome.failed(new PushException(PushException.Reason.StoreRejected,
          "unexpected " + e.getClass().getSimpleName()));
    }
  }

  /** Whether the store differs from the payload: the read-back of a drift check, on the store pool. */
  private StoreCalls.Outcome check(Target target, String owner, PushPayload payload) {
    try {
      return StoreCalls.Outcome.checked(store(target.resolved().provider()).compare(target, payload));
    } catch (PushException e) {
      return StoreCalls.Outcome.failed(e);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("check of {} at {} failed unexpectedly: {}", owner, target.id(), e.getClass().getName());
      return StoreCalls.Outcome.failed(new PushException(PushException.Reason.StoreRejected,
          "unexpected " + e.getClass().getSimpleName()));
    }
  }

  /** The store call itself, on the store pool: it reports nothing, and never throws. */
  private StoreCalls.Outcome call(Target target, String owner, PushPayload payload, Optional<PushStatus> before) {
    try {
      store(target.resolved().provider()).push(target, owner, payload, before.map(b -> b.keySet));
      return StoreCalls.Outcome.ok();
    } catch (PushException e) {
      return StoreCalls.Outcome.failed(e);
    } catch (RuntimeException | LinkageError e) {
      // A bug or a missing class must not stop the reconcile: reported like any failure, without its message.
      LOG.warn("push of {} to {} failed unexpectedly: {}", owner, target.id(), e.getClass().getName());
      return StoreCalls.Outcome.failed(new PushException(PushException.Reason.StoreRejected,
          "unexpected " + e.getClass().getSimpleName()));
    }
  }

  /** The entry, log line, Event and metric of a call's outcome, in the reconcile that collects it. */
  private PushStatus report(Round round, Target target, Optional<PushStatus> before, StoreCalls.Outcome outcome) {
    if (outcome.failure().isPresent()) {
      return failed(round, target, before, outcome.failure().get());
    }
    String keySet = round.keySet();
    LOG.info("pushed key set {} of {} to {}", keySet, round.owner(), target.id());
    round.tell(EventIntent.normal(EventReasons.PUSHED, "Pushed key set " + keySet + " to " + target.id()));
    if (before.filter(b -> b.driftDetectedTime != null).isPresent()) {
      round.tell(EventIntent.normal(EventReasons.DRIFT_REPAIRED, "Store " + target.id() + " differed from key set " + keySet
          + " (edited outside the operator, or rolled back): rewritten"));
    }
    return PushPlanner.succeeded(target, before, keySet, round.now());
  }

  private PushStatus failed(Round round, Target target, Optional<PushStatus> before, PushException e) {
    String keySet = round.keySet();
    PushStatus entry = PushPlanner.failed(target, before, keySet, e, round.now());
    metrics.pushFailures(round.namespace(), round.name(), target.id()).increment();
    LOG.warn("push of key set {} of {} to {} failed ({} in a row, next attempt at {}): {}: {}", keySet, round.owner(),
        target.id(), entry.failures, entry.nextAttemptTime, e.reason(), e.getMessage());
    round.tell(EventIntent.warning(EventReasons.PUSH_FAILED, "Push of key set " + keySet + " to " + target.id() + " failed: "
        + e.reason() + ": " + e.getMessage()));
    return entry;
  }

  private synchronized Store store(Provider provider) {
    return made.computeIfAbsent(provider, k -> stores.get(k).get());
  }

  /**
   * Forgets what is kept for a JwtSecret that went (by uid): what it last pushed, and its calls,
   * cancelling those still in flight.
   */
  public void forgetJwtSecret(String uid) {
    recent.remove(uid);
    calls.forget(uid + " ");
  }

  /** Drops the clients and credentials kept for a store that changed or went. */
  public synchronized void forgetStore(String storeUid) {
    made.values().forEach(s -> s.forget(storeUid));
  }
}
