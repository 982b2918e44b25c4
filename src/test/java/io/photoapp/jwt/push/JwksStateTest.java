package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.rotation.KeyState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the JWK set that AWS and Azure hold reads back and compares: the key set with its state, or as much as is sound. */
class JwksStateTest {
  final Stages stages = new Stages();

  private static JwksState.Held held(KeyState state) {
    return new JwksState.Held(state.current().value().reveal(), JwksState.write(new PushPayload(state)));
  }

  @Test
  void aPushCutShortBetweenTheTwoWritesRestoresTheNewerJwkSet() {
    // The switch wrote the JWK set (K2 current, K1 previous), then failed before the current-key secret.
    JwksState.Held cut = new JwksState.Held(stages.k1.value().reveal(), JwksState.write(new PushPayload(stages.switching)));
    assertThat(JwksState.keyState(cut)).contains(stages.switching);
    assertThat(JwksState.compare(cut, new PushPayload(stages.switching))).isEqualTo(Store.Comparison.DIFFERENT);
  }

  @Test
  void theRetireStageChangesNoKeySoAStoreWrittenAtTheSwitchIsNotDrift() {
    assertThat(JwksState.compare(held(stages.switching), new PushPayload(stages.retiring))).isEqualTo(Store.Comparison.SAME);
    assertThat(JwksState.compare(held(stages.switching), new PushPayload(stages.retired))).isEqualTo(Store.Comparison.DIFFERENT);
  }

  @Test
  void aStateThatDoesNotFitItsKeysIsIgnoredAndALoneSecondKeyIsNeverTheNext() {
    String jwks = JwksState.write(new PushPayload(stages.publishing)).replace(stages.publishing.keySet(), "forged,ids");
    KeyState read = JwksState.keyState(new JwksState.Held(null, jwks)).orElseThrow();
    assertThat(read.keySet()).isEqualTo(stages.publishing.keySet());
    assertThat(read.next()).as("an unknown second key never becomes current later").isEmpty();
    assertThat(read.previous().orElseThrow().id()).isEqualTo(stages.k2.id());
    assertThat(read.current().createdAt()).as("times unknown").isEqualTo(Instant.EPOCH);
  }

  @Test
  void aHostileJwkSetIsReadOnlyAsFarAsItIsSound() {
    StringBuilder many = new StringBuilder("{\"keys\": [");
    for (int i = 0; i < 10_000; i++) {
      many.append(i == 0 ? "" : ",").append("{\"kty\":\"oct\",\"k\":\"").append(i % 2 == 0 ? "AAAA" : "%%%").append("\"}");
    }
    many.append("]}");
    assertThat(JwksState.keys(many.toString())).hasSize(JwksState.MAX_KEYS);
    assertThat(JwksState.keyState(new JwksState.Held(null, "{\"keys\": [{\"kty\": \"RSA\", \"n\": 1}, 7, \"x\"]}"))).isEmpty();
    assertThat(JwksState.keyState(new JwksState.Held(null, "[[[[[[[[[[[[[[["))).isEmpty();
    assertThat(JwksState.keyState(new JwksState.Held("", null))).isEmpty();
    assertThat(new JwksState.Held(stages.k1.value().reveal(), "{}").toString()).doesNotContain(stages.k1.value().reveal());
  }
}
