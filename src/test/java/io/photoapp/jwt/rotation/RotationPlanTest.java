package io.photoapp.jwt.rotation;

import static io.photoapp.jwt.rotation.RotationPlannerTest.IDLE;
import static io.photoapp.jwt.rotation.RotationPlannerTest.PUBLISHING;
import static io.photoapp.jwt.rotation.RotationPlannerTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.Weekday;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.testing.JwtSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The plan comes from the operator's own planner: on the same inputs, it says what the operator does. */
class RotationPlanTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.photoapp.jwt.rotation.RotationPlannerTest#table")
  void thePlansDecisionIsTheOperatorsDecision(String name, UnaryOperator<JwtSecrets> rotation, KeyState state, boolean rolledOut, Instant now,
      Action action, Duration recheck) {
    RotationInput in = new RotationInput(RotationPlannerTest.spec(rotation), Optional.ofNullable(state), false, false, false,
        true, rolledOut, now);
    RotationDecision operator = RotationPlanner.decide(in);
    String plan = RotationPlan.of(in).decision();
    if (operator.writesSecret()) {
      assertThat(plan).isEqualTo(operator.action() + " (" + operator.reason() + ")");
    } else {
      assertThat(plan).doesNotContain("(").contains(operator.waitingFor());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.photoapp.jwt.rotation.RotationGatesTest#table")
  void theGatesShowInThePlanAsTheyHoldTheOperator(String name, UnaryOperator<JwtSecrets> rotation, String approveSwitch, KeyState state,
      Instant now, Action action, RotationDecision.Gate gate, Duration recheck) {
    RotationInput in = new RotationInput(RotationGatesTest.spec(rotation, approveSwitch), Optional.of(state), false, false, false,
        true, true, now);
    RotationPlan plan = RotationPlan.of(in);
    assertThat(RotationPlanner.decide(in).action()).isEqualTo(action);
    if (gate != RotationDecision.Gate.NONE) {
      assertThat(plan.holds()).anyMatch(h -> h.startsWith("now: ") && h.contains(RotationPlanner.decide(in).waitingFor()));
    }
  }

  @Test
  void aStagedRotationIsPlannedStageByStageFromItsDueTime() {
    EffectiveSpec spec = RotationPlannerTest.spec(j -> j);
    Instant due = T0.plus(Duration.ofDays(30));
    RotationPlan plan = RotationPlan.of(new RotationInput(spec, Optional.of(IDLE), false, false, false, true, true,
        due.minusSeconds(3600)));
    assertThat(plan.nextRotation()).startsWith(due + " (Scheduled");
    assertThat(plan.stages()).extracting(RotationPlan.Stage::name).containsExactly("publish", "switch", "grace end", "retire");
    assertThat(plan.stages()).extracting(RotationPlan.Stage::earliest).containsExactly(due.toString(),
        due.plus(Duration.ofMinutes(2)).toString(), due.plus(Duration.ofMinutes(32)).toString(), due.plus(Duration.ofMinutes(32)).toString());
  }

  @Test
  void aWindowMovesThePublishStageToItsOpeningAndManualApprovalIsNamed() {
    // Due on Saturday 2026-01-31 at 00:00 UTC; the window opens at 02:00.
    EffectiveSpec spec = RotationGatesTest.spec(j -> j.manualApproval().window("02:00", "05:00", Weekday.Sat), null);
    Instant due = T0.plus(Duration.ofDays(30));
    RotationPlan plan = RotationPlan.of(new RotationInput(spec, Optional.of(IDLE), false, false, false, true, true, due.minusSeconds(60)));
    assertThat(plan.stages().get(0).earliest()).isEqualTo("2026-01-31T02:00:00Z");
    assertThat(plan.stages().get(1).waitsFor()).contains("approval");
    assertThat(plan.holds()).anyMatch(h -> h.startsWith("windows:")).anyMatch(h -> h.startsWith("approval: Manual"));
    RotationPlan waiting = RotationPlan.of(new RotationInput(spec, Optional.of(PUBLISHING), false, false, false, true, true,
        Instant.parse("2026-01-31T02:10:00Z")));
    assertThat(waiting.decision()).contains("approval of the switch to key " + RotationPlannerTest.K2.id());
  }
}
