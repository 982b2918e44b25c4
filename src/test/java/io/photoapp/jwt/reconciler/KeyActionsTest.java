package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.testing.JwtSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each rotation decision does to the keys: a new key only where the decision makes one, the
 * published next key switched to rather than a fresh one, counts and reasons as status shows them.
 * Asymmetric keys are made one at a time, operator-wide: a reconcile that finds another being made
 * gives up before writing anything, rather than holding a second reconcile thread and CPU core.
 */
class KeyActionsTest {
  static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");

  static EffectiveSpec spec(String algorithm) {
    JwtSecret js = JwtSecrets.named("k").in("ns").uid("u").production().algorithm(Algorithm.valueOf(algorithm)).build();
    return SpecResolver.resolve(js).spec();
  }

  @Test
  void anAsymmetricKeyWaitsWhileAnotherIsBeingGenerated() {
    Semaphore generator = new Semaphore(1);
    KeyActions actions = new KeyActions(new KeyGenerator(), generator);
    RotationDecision create = RotationDecision.act(Action.CREATE, Reasons.CREATED);

    generator.acquireUninterruptibly();
    assertThatThrownBy(() -> actions.apply(create, Optional.empty(), spec("ES256"), 0, NOW))
        .isInstanceOf(KeyActions.GeneratorBusy.class);
    // HMAC keys cost nothing and never wait.
    assertThat(actions.apply(create, Optional.empty(), spec("HS256"), 0, NOW).current().algorithm()).isEqualTo(Algorithm.HS256);

    generator.release();
    KeyState made = actions.apply(create, Optional.empty(), spec("ES256"), 0, NOW);
    assertThat(made.current().algorithm()).isEqualTo(Algorithm.ES256);
    assertThat(generator.availablePermits()).as("the generator is free again").isEqualTo(1);
  }

  /**
   * The generator is shared by every namespace: an emergency that finds it busy goes first, so that planned
   * key pairs of another namespace, asking again every few seconds, do not keep winning it.
   */
  @Test
  void anEmergencyThatFindsTheGeneratorBusyGoesFirst() {
    Semaphore generator = new Semaphore(1);
    KeyActions actions = new KeyActions(new KeyGenerator(), generator);
    RotationDecision planned = RotationDecision.act(Action.CREATE, Reasons.CREATED);
    RotationDecision emergency = RotationDecision.act(Action.EMERGENCY, Reasons.EMERGENCY);
    KeyState held = IDLE;

    generator.acquireUninterruptibly();
    assertThatThrownBy(() -> actions.apply(emergency, Optional.of(held), spec("ES256"), 0, NOW))
        .isInstanceOf(KeyActions.GeneratorBusy.class);
    generator.release();
    // Free again, but the emergency has not asked yet: another namespace's planned key waits.
    assertThatThrownBy(() -> actions.apply(planned, Optional.empty(), spec("ES256"), 0, NOW.plusSeconds(2)))
        .isInstanceOf(KeyActions.GeneratorBusy.class);
    assertThat(actions.apply(emergency, Optional.of(held), spec("ES256"), 0, NOW.plusSeconds(3)).current().algorithm())
        .isEqualTo(Algorithm.ES256);
    // Past the emergency's turn, planned keys are made again.
    assertThat(actions.apply(planned, Optional.empty(), spec("ES256"), 0, NOW.plus(KeyActions.EMERGENCY_FIRST)).current()
        .algorithm()).isEqualTo(Algorithm.ES256);
  }

  static final StoredKey K1 = StoredKey.of(KeyValue.of("k1-" + "a".repeat(61)), Algorithm.HS256, NOW.minus(Duration.ofDays(30)));
  static final StoredKey K2 = StoredKey.of(KeyValue.of("k2-" + "b".repeat(61)), Algorithm.HS256, NOW.minus(Duration.ofMinutes(5)));
  static final KeyState IDLE = KeyState.fresh(K1, Reasons.CREATED, 0);
  static final KeyState PUBLISHING = IDLE.publish(K2);
  static final KeyState SWITCHING = PUBLISHING.switchTo(K2, Reasons.SCHEDULED, NOW.minus(Duration.ofMinutes(1)));
  static final KeyState RETIRING = SWITCHING.retiring(NOW);

  static Stream<Arguments> decisions() {
    return Stream.of(
        argumentSet("create the first key", Action.CREATE, Reasons.CREATED, null,
            "Idle current=new next=- previous=- count=0 reason=Created"),
        argumentSet("create again after the Secret was deleted: counted", Action.CREATE, Reasons.SECRET_DELETED, null,
            "Idle current=new next=- previous=- count=4 reason=SecretDeleted"),
        argumentSet("adopt: the key kept, the reason recorded", Action.ADOPT, Reasons.ADOPTED, IDLE,
            "Idle current=k1 next=- previous=- count=0 reason=Adopted"),
        argumentSet("publish a new next key", Action.PUBLISH, Reasons.SCHEDULED, IDLE,
            "Publishing current=k1 next=new previous=- count=0 reason=Created"),
        argumentSet("switch to the published key, not a fresh one", Action.SWITCH, Reasons.SCHEDULED, PUBLISHING,
            "Switching current=k2 next=- previous=k1 count=1 reason=Scheduled"),
        argumentSet("switch with nothing published (Direct): a new key", Action.SWITCH, Reasons.MANUAL, IDLE,
            "Switching current=new next=- previous=k1 count=1 reason=Manual"),
        argumentSet("the previous key expires after the grace period", Action.MARK_RETIRING, Reasons.SCHEDULED, SWITCHING,
            "Retiring current=k2 next=- previous=k1 expires=+30m count=1 reason=Scheduled"),
        argumentSet("retire the previous key", Action.RETIRE, Reasons.SCHEDULED, RETIRING,
            "Idle current=k2 next=- previous=- count=1 reason=Scheduled"),
        argumentSet("an emergency keeps no old key, not even the published one", Action.EMERGENCY, Reasons.EMERGENCY,
            PUBLISHING, "Idle current=new next=- previous=- count=1 reason=Emergency"),
        argumentSet("nothing to do", Action.NONE, Reasons.SCHEDULED, PUBLISHING,
            "Publishing current=k1 next=k2 previous=- count=0 reason=Created"),
        argumentSet("held", Action.HOLD, Reasons.SCHEDULED, SWITCHING,
            "Switching current=k2 next=- previous=k1 count=1 reason=Scheduled"));
  }

  @ParameterizedTest
  @MethodSource("decisions")
  void eachDecisionChangesTheKeysAsItSaysAndMakesAKeyOnlyWhenItMustBeNew(Action action, String reason, KeyState before,
      String expected) {
    KeyState after = new KeyActions(new KeyGenerator()).apply(RotationDecision.act(action, reason),
        Optional.ofNullable(before), spec("HS256"), 3, NOW);
    assertThat(summary(after)).isEqualTo(expected);
  }

  /** The state in one line, keys by name: k1 and k2 as given, "new" for a key made now. */
  static String summary(KeyState s) {
    return s.phase() + " current=" + name(s.current()) + " next=" + s.next().map(KeyActionsTest::name).orElse("-")
        + " previous=" + s.previous().map(KeyActionsTest::name).orElse("-")
        + s.previousExpiresAt().map(t -> " expires=+" + Duration.between(NOW, t).toMinutes() + "m").orElse("")
        + " count=" + s.rotationCount() + " reason=" + s.reason();
  }

  static String name(StoredKey k) {
    if (k.id().equals(K1.id())) {
      return "k1";
    }
    if (k.id().equals(K2.id())) {
      return "k2";
    }
    assertThat(k.createdAt()).as("a new key is dated now").isEqualTo(NOW);
    return "new";
  }
}
