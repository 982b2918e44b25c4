package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A key set read back from a store is judged like an adopted key: what the profile rejects is not restored. */
class StoreRestoreTest {
  static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
  final Profile production = Profile.effective(Environment.PRODUCTION, Optional.empty());
  final StoredKey strong = StoredKey.of(new KeyGenerator().generate(Encoding.URLSAFE, 64), Algorithm.HS256, T0);
  final StoredKey otherStrong = StoredKey.of(new KeyGenerator().generate(Encoding.URLSAFE, 64), Algorithm.HS256, T0);
  final StoredKey weak = StoredKey.of(KeyValue.of("changeme"), Algorithm.HS256, T0);

  @Test
  void aStrongKeySetIsRestoredAsItIs() {
    KeyState state = KeyState.fresh(strong, "Created", 3).publish(otherStrong);
    StoreRestore.Screened s = StoreRestore.screen(state, production);
    assertThat(s.kept()).contains(state);
    assertThat(s.dropped()).isEmpty();
  }

  @Test
  void aWeakCurrentKeyRestoresNothingAndTheReasonNamesTheRuleNotTheValue() {
    StoreRestore.Screened s = StoreRestore.screen(KeyState.fresh(weak, "Created", 0), production);
    assertThat(s.kept()).isEmpty();
    assertThat(s.dropped()).singleElement().asString().contains("current key " + weak.id()).contains("weak-key")
        .contains("minimum-length").doesNotContain("changeme");
  }

  @Test
  void aWeakPreviousKeyIsLeftOutAndThePhaseFollowsTheKeysThatRemain() {
    KeyState switching = KeyState.fresh(weak, "Created", 0).switchTo(strong, "Scheduled", T0.plusSeconds(60));
    StoreRestore.Screened s = StoreRestore.screen(switching, production);
    assertThat(s.kept()).get().satisfies(k -> {
      assertThat(k.current()).isEqualTo(strong);
      assertThat(k.previous()).isEmpty();
      assertThat(k.phase()).isEqualTo(Phase.Idle);
      assertThat(k.rotationCount()).isEqualTo(1);
    });
    assertThat(s.dropped()).singleElement().asString().startsWith("previous key " + weak.id());
  }

  @Test
  void timesFromTheStoreAreHeldToWhatTheJwtSecretCouldHaveMade() {
    Instant now = T0.plus(java.time.Duration.ofDays(1));
    StoredKey future = StoredKey.of(strong.value(), Algorithm.HS256, Instant.parse("9999-01-01T00:00:00Z"));
    KeyState retiring = new KeyState(Phase.Retiring, future, Optional.empty(), Optional.of(otherStrong),
        Optional.of(Instant.parse("9999-01-01T00:00:00Z")), Instant.parse("9999-01-01T00:00:00Z"), "Scheduled", 4);
    KeyState b = StoreRestore.bounded(retiring, now, java.time.Duration.ofMinutes(30));
    assertThat(b.current().createdAt()).as("a key created in the future would put off the next rotation").isEqualTo(now);
    assertThat(b.current().id()).isEqualTo(strong.id());
    assertThat(b.rotatedAt()).isEqualTo(now);
    assertThat(b.previousExpiresAt()).as("the previous key is kept at most a grace period").contains(now.plusSeconds(1800));
    assertThat(b.previous()).contains(otherStrong);
    KeyState sane = KeyState.fresh(strong, "Created", 0);
    assertThat(StoreRestore.bounded(sane, now, java.time.Duration.ofMinutes(30))).isEqualTo(sane);
  }
}
