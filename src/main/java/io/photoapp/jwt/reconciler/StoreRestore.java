package io.photoapp.jwt.reconciler;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.PolicyRules;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.push.KeyPush;
import io.photoapp.jwt.push.RestorePlanner;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilding a lost Secret from the store of {@code spec.push[].restore}: reads the store (through
 * {@link KeyPush}, with the same identity and bounds as a push), lets {@link RestorePlanner} decide, and
 * keeps only the keys the profile accepts. The reconciler asks it once, before deciding on keys. What
 * it finds worth telling (a restore that timed out, keys the profile refused) comes back in the
 * {@link Outcome}: the plan tells it first.
 */
public final class StoreRestore {
  private final KeyPush push;

  public StoreRestore(KeyPush push) {
    this.push = push;
  }

  /**
   * What the reconciler does: use a restored state, wait (RestorePending), or go on as without a store;
   * and the Events that say why.
   */
  public record Outcome(Optional<KeyState> restored, String storeId, Optional<String> pending, Optional<Duration> recheckAfter,
      List<EventIntent> events) {
    static final Outcome NONE = none(List.of());

    /** Going on as without a store, telling {@code events}. */
    static Outcome none(List<EventIntent> events) {
      return new Outcome(Optional.empty(), null, Optional.empty(), Optional.empty(), events);
    }

    public boolean waiting() {
      return pending.isPresent();
    }
  }

  /** Keys of a restored state that the profile accepts, and what was dropped, by rule. */
  public record Screened(Optional<KeyState> kept, List<String> dropped) {}

  /** Reads the restore target of a JwtSecret with no Secret and no key, and says what to do with its answer. */
  public Outcome attempt(JwtSecret resource, boolean hasSecret, JwtSecretStatus old, Profile profile, Duration grace, Instant now) {
    boolean hadKey = old.keyId != null && !old.keyId.isEmpty();
    if (!RestorePlanner.reads(hasSecret, hadKey, true)) {
      return Outcome.NONE;
    }
    Optional<RestorePlanner.Read> read = push.readRestoreTarget(resource);
    if (read.isEmpty()) {
      return Outcome.NONE;
    }
    String storeId = read.get().target().id();
    RestorePlanner.Plan plan = RestorePlanner.decide(read.get(), now, waitingSince(resource, old, now));
    switch (plan.step()) {
      case WAIT:
        // A read still in flight says nothing new: the last failure stays the message (no event per read).
        String message = read.get().answer() == RestorePlanner.Answer.IN_FLIGHT
            ? Conditions.find(old.conditions, Conditions.READY).filter(c -> Conditions.RESTORE_PENDING.equals(c.getReason()))
                .map(c -> c.getMessage()).orElse(plan.message())
            : plan.message();
        return new Outcome(Optional.empty(), storeId, Optional.of(message), plan.recheckAfter(), List.of());
      case GENERATE_AFTER_TIMEOUT:
        return Outcome.none(List.of(EventIntent.warning(EventReasons.RESTORE_TIMED_OUT,
            "No key set restored: " + plan.message() + "; a new key is generated")));
      case GENERATE:
        return Outcome.NONE;
      default:
        break;
    }
    Screened screened = screen(bounded(plan.state().orElseThrow(), now, grace), profile);
    List<EventIntent> events = screened.dropped().isEmpty() ? List.of()
        : List.of(EventIntent.warning(EventReasons.POLICY_VIOLATION, "Not restored from " + storeId + ": "
            + String.join("; ", screened.dropped()) + (screened.kept().isEmpty() ? "; a new key is generated instead" : "")));
    return new Outcome(screened.kept(), storeId, Optional.empty(), Optional.empty(), events);
  }

  /**
   * When the wait for the store began: the JwtSecret's creation, or the first RestorePending, whichever
   * is earlier (a clock that runs behind the API server's still ends the wait).
   */
  static Instant waitingSince(JwtSecret resource, JwtSecretStatus old, Instant now) {
    Instant since = now;
    Optional<Instant> created = SecretCodec.parseTime(resource.getMetadata().getCreationTimestamp());
    if (created.isPresent() && created.get().isBefore(since)) {
      since = created.get();
    }
    Optional<Instant> pending = Conditions.find(old.conditions, Conditions.READY)
        .filter(c -> Conditions.RESTORE_PENDING.equals(c.getReason())).flatMap(c -> SecretCodec.parseTime(c.getLastTransitionTime()));
    if (pending.isPresent() && pending.get().isBefore(since)) {
      since = pending.get();
    }
    return since;
  }

  /**
   * The keys the profile accepts: a current key that breaks it restores nothing (a new key replaces
   * it); a next or previous key that breaks it is left out. Messages name the key id and the rule, never the value.
   */
  public static Screened screen(KeyState state, Profile profile) {
    List<String> dropped = new ArrayList<>();
    List<Finding> current = violations(state.current(), profile);
    if (!current.isEmpty()) {
      dropped.add("current key " + state.current().id() + " breaks the profile (" + Finding.violationsText(current) + ")");
      return new Screened(Optional.empty(), dropped);
    }
    Optional<StoredKey> next = state.next();
    if (next.isPresent() && !violations(next.get(), profile).isEmpty()) {
      dropped.add("next key " + next.get().id() + " breaks the profile (" + Finding.violationsText(violations(next.get(), profile)) + ")");
      next = Optional.empty();
    }
    Optional<StoredKey> previous = state.previous();
    if (previous.isPresent() && !violations(previous.get(), profile).isEmpty()) {
      dropped.add("previous key " + previous.get().id() + " breaks the profile ("
          + Finding.violationsText(violations(previous.get(), profile)) + ")");
      previous = Optional.empty();
    }
    if (dropped.isEmpty()) {
      return new Screened(Optional.of(state), dropped);
    }
    io.photoapp.jwt.api.Phase phase = next.isPresent() ? state.phase()
        : previous.isPresent() ? state.phase() : io.photoapp.jwt.api.Phase.Idle;
    return new Screened(Optional.of(new KeyState(phase, state.current(), next, previous,
        previous.isPresent() ? state.previousExpiresAt() : Optional.empty(), state.rotatedAt(), state.reason(),
        state.rotationCount())), dropped);
  }

  /**
   * The times a store gives, held to what the JwtSecret could have made: no key created and no rotation
   * after now (a future time would put off the next rotation), no previous key kept longer than the
   * grace period from now.
   */
  public static KeyState bounded(KeyState s, Instant now, Duration grace) {
    Instant latestExpiry = now.plus(grace);
    return new KeyState(s.phase(), notAfter(s.current(), now), s.next().map(k -> notAfter(k, now)),
        s.previous().map(k -> notAfter(k, now)), s.previousExpiresAt().map(t -> t.isAfter(latestExpiry) ? latestExpiry : t),
        s.rotatedAt().isAfter(now) ? now : s.rotatedAt(), s.reason(), s.rotationCount());
  }

  private static StoredKey notAfter(StoredKey k, Instant now) {
    return k.createdAt().isAfter(now) ? new StoredKey(k.value(), k.id(), k.algorithm(), now) : k;
  }

  private static List<Finding> violations(StoredKey key, Profile profile) {
    return PolicyRules.judgeKey(key.value().reveal(), key.algorithm(), profile).stream().filter(Finding::isViolation).toList();
  }
}
