package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When another JwtSecret on a shared workload is due to roll it, from its spec and status: the planner's own answer. */
class SharerDueTest {
  static final Instant T = Instant.parse("2026-11-28T06:00:00Z");

  static JwtSecret sharer(JwtSecrets builder, Phase phase, boolean rolledOut) {
    JwtSecret js = builder.build();
    JwtSecretStatus st = new JwtSecretStatus();
    st.phase = phase;
    st.keyId = "k1";
    st.keyCreatedAt = T.minus(Duration.ofDays(10)).toString();
    st.lastRotationTime = phase == Phase.Idle ? st.keyCreatedAt : T.minusSeconds(200).toString();
    st.nextKeyId = phase == Phase.Publishing ? "k2" : null;
    st.previousKeyId = phase == Phase.Retiring ? "k0" : null;
    st.previousKeyExpiresAt = phase == Phase.Retiring ? T.plusSeconds(20).toString() : null;
    st.conditions = Conditions.set(null, Conditions.ROLLOUT_COMPLETE, rolledOut, "x", "x", 1L, T, null);
    js.setStatus(st);
    return js;
  }

  static JwtSecrets named() {
    return JwtSecrets.named("b-jwt").in("photoapp").production().timing("@every 720h", "15m", "2m", "10m");
  }

  @Test
  void aRequestThatHasComeDueIsDueNow() {
    assertThat(SharerDue.of(sharer(named().annotate(Labels.ROTATE_AFTER, T.toString()), Phase.Idle, true), false, T))
        .contains(T);
  }

  @Test
  void aScheduleFarAheadIsDueThen() {
    assertThat(SharerDue.of(sharer(named(), Phase.Idle, true), false, T)).contains(T.minus(Duration.ofDays(10)).plus(Duration.ofDays(30)));
  }

  @Test
  void aPublishedKeyIsDueWhenItsPropagationDelayEndsButNotWhileItsRolloutRuns() {
    assertThat(SharerDue.of(sharer(named(), Phase.Publishing, true), false, T)).contains(T);
    assertThat(SharerDue.of(sharer(named(), Phase.Publishing, false), false, T)).isEmpty();
  }

  @Test
  void aSwitchWaitingForApprovalIsNotDue() {
    assertThat(SharerDue.of(sharer(named().manualApproval(), Phase.Publishing, true), false, T)).isEmpty();
    // The namespace's floor counts too.
    assertThat(SharerDue.of(sharer(named(), Phase.Publishing, true), true, T)).isEmpty();
  }

  @Test
  void aRetiringKeyIsDueWhenItsGraceEnds() {
    assertThat(SharerDue.of(sharer(named(), Phase.Retiring, true), false, T)).contains(T.plusSeconds(20));
  }

  @Test
  void noKeyYetIsNotDue() {
    assertThat(SharerDue.of(named().build(), false, T)).isEqualTo(Optional.empty());
  }
}
