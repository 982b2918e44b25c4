package io.photoapp.jwt.cli;

import static io.photoapp.jwt.cli.CliRunner.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.RotationStrategy;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RotateCommandTest extends CliScenario {
  /** A development JwtSecret with this strategy, in the test's namespace unless it names another. */
  private static JwtSecrets jwtSecret(String name, RotationStrategy strategy) {
    return JwtSecrets.named(name).development().strategy(strategy);
  }

  private JwtSecret create(JwtSecrets jwtSecret) {
    JwtSecrets placed = jwtSecret.namespace() == null ? jwtSecret.in(NAMESPACE) : jwtSecret;
    h.apply(placed);
    return h.awaitStatus(placed.namespace(), placed.name(), js -> js.getStatus().keyId != null);
  }

  private String annotation(String namespace, String name, String annotation) {
    Map<String, String> a = h.get(namespace, name).getMetadata().getAnnotations();
    return a == null ? null : a.get(annotation);
  }

  @Test
  void approveSetsApproveSwitchToTheWaitingNextKeyIdAndTheSwitchProceeds() {
    h.apply(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).development().manualApproval());
    String k1 = h.awaitStatus(NAMESPACE, "photoapp-jwt", js -> js.getStatus().keyId != null).getStatus().keyId;

    CliRunner.Result idle = cli.run("rotate", "--approve", "photoapp-jwt");
    assertThat(idle.exitCode()).isEqualTo(2);
    assertThat(idle.err()).contains("has no published next key").contains("nothing was changed");
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.APPROVE_SWITCH)).isNull();

    h.clock.advance(Duration.ofMinutes(1));
    assertThat(cli.run("rotate", "photoapp-jwt").exitCode()).isZero();
    h.awaitStatus(NAMESPACE, "photoapp-jwt", js -> js.getStatus().phase == Phase.Publishing);
    h.clock.advance(Duration.ofMinutes(3));
    h.poke(NAMESPACE, "photoapp-jwt");
    String k2 = h.awaitStatus(NAMESPACE, "photoapp-jwt", js -> js.getStatus().phase == Phase.AwaitingApproval).getStatus().nextKeyId;

    CliRunner.Result r = cli.run("rotate", "--approve", "photoapp-jwt");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("switch approved: photoapp/photoapp-jwt jwt.photoapp.io/approve-switch=" + k2);
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.APPROVE_SWITCH)).isEqualTo(k2);
    JwtSecret switched = h.awaitStatus(NAMESPACE, "photoapp-jwt", js -> k2.equals(js.getStatus().keyId));
    assertThat(switched.getStatus().previousKeyId).isEqualTo(k1);
    assertThat(cli.run("rotate", "--approve", "--emergency", "photoapp-jwt").exitCode()).isEqualTo(2);
  }

  @Test
  void plannedRotationSetsRotateAfterToTheClocksTime() {
    JwtSecret before = create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));
    h.clock.advance(Duration.ofMinutes(1));

    CliRunner.Result r = cli.run("rotate", "photoapp-jwt");

    assertThat(r.exitCode()).isZero();
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.ROTATE_AFTER)).isEqualTo("2026-11-28T06:01:00Z");
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.INVALIDATE_BEFORE)).isNull();
    assertThat(r.out()).contains("rotation requested: photoapp/photoapp-jwt jwt.photoapp.io/rotate-after=2026-11-28T06:01:00Z")
        .contains("current key " + before.getStatus().keyId);
    // The operator takes the request: a staged rotation publishes the next key.
    h.awaitStatus(NAMESPACE, "photoapp-jwt", js -> js.getStatus().phase == Phase.Publishing);
  }

  @Test
  void waitFollowsADirectRotationUntilTheNewKeyIsCurrentAndRolledOut() {
    JwtSecret before = create(jwtSecret("photoapp-jwt", RotationStrategy.Direct));
    h.clock.advance(Duration.ofMinutes(1));

    CliRunner.Result r = cli.run("rotate", "photoapp-jwt", "--wait", "--timeout", "20s");

    assertThat(r.exitCode()).as(r.all()).isZero();
    JwtSecret after = h.get(NAMESPACE, "photoapp-jwt");
    assertThat(after.getStatus().keyId).isNotEqualTo(before.getStatus().keyId);
    assertThat(r.out())
        .contains("photoapp/photoapp-jwt: phase=Retiring key=" + after.getStatus().keyId + " next=- previous="
            + before.getStatus().keyId + " RolloutComplete=True(NoTargets)")
        .contains("photoapp/photoapp-jwt: rotation complete, key " + after.getStatus().keyId);
  }

  @Test
  void waitGivesUpWithExitCode1WhenTheRotationHoldsPastTheTimeout() {
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));
    h.clock.advance(Duration.ofMinutes(1));

    // The clock does not move, so the staged rotation waits for its propagation delay forever.
    CliRunner.Result r = cli.run("rotate", "photoapp-jwt", "--wait", "--timeout", "2s");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("phase=Publishing").contains("photoapp/photoapp-jwt: not complete after 2s");
  }

  @Test
  void waitFollowsAStagedRotationStageByStageAsTimePasses() throws Exception {
    JwtSecret before = create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));
    h.clock.advance(Duration.ofMinutes(1));

    CliRunner.Running run = cli.start("rotate", "photoapp-jwt", "--wait", "--timeout", "30s");
    JwtSecret publishing = h.awaitStatus(NAMESPACE, "photoapp-jwt", js -> js.getStatus().phase == Phase.Publishing);
    await().atMost(Duration.ofSeconds(10)).until(() -> run.out().toString().contains("phase=Publishing"));
    h.clock.advance(Duration.ofMinutes(3)); // past the propagation delay
    h.poke(NAMESPACE, "photoapp-jwt");
    CliRunner.Result r = run.result().get(40, TimeUnit.SECONDS);

    assertThat(r.exitCode()).as(r.all()).isZero();
    String next = publishing.getStatus().nextKeyId;
    assertThat(r.out())
        .contains("phase=Publishing key=" + before.getStatus().keyId + " next=" + next)
        .contains("phase=Retiring key=" + next + " next=- previous=" + before.getStatus().keyId)
        .contains("rotation complete, key " + next);
  }

  @Test
  void emergencyWithYesSetsInvalidateBeforeAndWaitsForTheRollout() {
    JwtSecret before = create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));
    h.clock.advance(Duration.ofMinutes(1));

    CliRunner.Result r = cli.run("rotate", "photoapp-jwt", "--emergency", "--yes", "--wait", "--timeout", "20s");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.INVALIDATE_BEFORE)).isEqualTo("2026-11-28T06:01:00Z");
    JwtSecret after = h.get(NAMESPACE, "photoapp-jwt");
    assertThat(after.getStatus().lastRotationReason).isEqualTo("Emergency");
    assertThat(after.getStatus().keyId).isNotEqualTo(before.getStatus().keyId);
    assertThat(r.out()).contains("emergency rotation requested: photoapp/photoapp-jwt jwt.photoapp.io/invalidate-before=")
        .contains("emergency rotation complete, key " + after.getStatus().keyId);
  }

  @Test
  void emergencyWithoutYesAndNothingOnStdinAbortsWithExitCode2() {
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));

    CliRunner.Result r = cli.run("rotate", "photoapp-jwt", "--emergency");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Type yes to continue").contains("error: emergency rotation not confirmed");
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.INVALIDATE_BEFORE)).isNull();
  }

  @Test
  void emergencyAnsweredOtherThanYesAborts() {
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));

    CliRunner.Result r = cli.runWithInput("y\n", "rotate", "photoapp-jwt", "--emergency");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.INVALIDATE_BEFORE)).isNull();
  }

  @Test
  void emergencyConfirmedOnStdinIsRequested() {
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));

    CliRunner.Result r = cli.runWithInput("yes\n", "rotate", "photoapp-jwt", "--emergency");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.INVALIDATE_BEFORE)).isEqualTo(h.clock.instant().toString());
  }

  @Test
  void allWithASelectorRotatesOnlyTheMatchingJwtSecrets() {
    create(jwtSecret("frontend-jwt", RotationStrategy.Staged).label("app", "frontend"));
    create(jwtSecret("backend-jwt", RotationStrategy.Staged).label("app", "backend"));

    CliRunner.Result r = cli.run("rotate", "--all", "-l", "app=backend");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(annotation(NAMESPACE, "backend-jwt", Labels.ROTATE_AFTER)).isNotNull();
    assertThat(annotation(NAMESPACE, "frontend-jwt", Labels.ROTATE_AFTER)).isNull();
    assertThat(r.out()).contains("photoapp/backend-jwt").doesNotContain("frontend-jwt");
  }

  @Test
  void severalNamesRotateEachOfThem() {
    create(jwtSecret("frontend-jwt", RotationStrategy.Staged));
    create(jwtSecret("backend-jwt", RotationStrategy.Staged));
    create(jwtSecret("other-jwt", RotationStrategy.Staged));

    CliRunner.Result r = cli.run("rotate", "frontend-jwt", "backend-jwt");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(annotation(NAMESPACE, "frontend-jwt", Labels.ROTATE_AFTER)).isEqualTo(h.clock.instant().toString());
    assertThat(annotation(NAMESPACE, "backend-jwt", Labels.ROTATE_AFTER)).isEqualTo(h.clock.instant().toString());
    assertThat(annotation(NAMESPACE, "other-jwt", Labels.ROTATE_AFTER)).isNull();
    assertThat(r.out().lines()).hasSize(2);
  }

  @Test
  void anUnknownNameAmongSeveralRotatesNone() {
    create(jwtSecret("frontend-jwt", RotationStrategy.Staged));

    CliRunner.Result r = cli.run("rotate", "frontend-jwt", "nope");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(annotation(NAMESPACE, "frontend-jwt", Labels.ROTATE_AFTER)).isNull();
    assertThat(r.err()).contains("JwtSecret nope not found").contains("nothing was changed");
  }

  @Test
  void aSelectorAloneRotatesTheMatchingJwtSecretsAsKubectlDoes() {
    create(jwtSecret("frontend-jwt", RotationStrategy.Staged).label("app", "frontend"));
    create(jwtSecret("backend-jwt", RotationStrategy.Staged).label("app", "backend"));

    CliRunner.Result r = cli.run("rotate", "-l", "app=backend");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(annotation(NAMESPACE, "backend-jwt", Labels.ROTATE_AFTER)).isNotNull();
    assertThat(annotation(NAMESPACE, "frontend-jwt", Labels.ROTATE_AFTER)).isNull();
  }

  @Test
  void aSelectorInAllNamespaces() {
    h.namespace("staging", Map.of());
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged).label("app", "photoapp"));
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged).in("staging").label("app", "photoapp"));
    create(jwtSecret("other-jwt", RotationStrategy.Staged).in("staging").label("app", "other"));

    CliRunner.Result r = cli.run("rotate", "-l", "app=photoapp", "-A");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.ROTATE_AFTER)).isNotNull();
    assertThat(annotation("staging", "photoapp-jwt", Labels.ROTATE_AFTER)).isNotNull();
    assertThat(annotation("staging", "other-jwt", Labels.ROTATE_AFTER)).isNull();
  }

  @Test
  void allInAllNamespacesRotatesEveryJwtSecret() {
    h.namespace("staging", Map.of());
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged).in("staging"));

    CliRunner.Result r = cli.run("rotate", "--all", "-A");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(annotation(NAMESPACE, "photoapp-jwt", Labels.ROTATE_AFTER)).isEqualTo(h.clock.instant().toString());
    assertThat(annotation("staging", "photoapp-jwt", Labels.ROTATE_AFTER)).isEqualTo(h.clock.instant().toString());
  }

  @Test
  @NoKeys
  void allWithNothingToRotateSaysSoAndSucceeds() {
    CliRunner.Result r = cli.run("rotate", "--all", "-l", "app=nothing");

    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains("no JwtSecrets found in namespace photoapp with labels app=nothing");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "rotate",
      "rotate photoapp-jwt --all",
      "rotate photoapp-jwt -l app=x",
      "rotate photoapp-jwt -A",
      "rotate --all -A -n photoapp",
      "rotate photoapp-jwt --timeout 5m",
      "rotate photoapp-jwt --wait --timeout soon",
      "rotate photoapp-jwt --no-such-option",
      "rotate -A",
      "rotate one two -A",
      "rotate one two --all"})
  @NoKeys
  void badArgumentsAreOneErrorLineAndExitCode2(String args) {
    assertThat(refused(args).out()).isEmpty();
  }

  @Test
  @NoKeys
  void anUnknownJwtSecretIsAnError() {
    CliRunner.Result r = cli.run("rotate", "nope");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: JwtSecret nope not found in namespace photoapp; nothing was changed" + System.lineSeparator());
  }

  @Test
  @NoKeys
  void anUnreachableApiServerIsAnError() {
    CliRunner.Result r = unreachable("rotate photoapp-jwt --context dead -n " + NAMESPACE);

    assertThat(r.err()).startsWith("error: cannot reach the API server at http://127.0.0.1:").contains("connection refused");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  @NoKeys
  void anUnknownContextIsAnError() {
    CliRunner.Result r = cli.run("rotate", "photoapp-jwt", "--context", "nowhere");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("error: context \"nowhere\" not found in the kubeconfig");
  }

  @Test
  @NoKeys
  void helpListsTheExitCodes() {
    CliRunner.Result r = cli.run("rotate", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Exit codes:").contains("1   with --wait: not complete before --timeout");
  }

  @Test
  void theRequestTimeIsTheInjectedClocksTimeToTheNanosecond() {
    create(jwtSecret("photoapp-jwt", RotationStrategy.Staged));
    Instant odd = Instant.parse("2026-11-28T06:05:07.123456789Z");
    h.clock.set(odd);

    assertThat(cli.run("rotate", "photoapp-jwt").exitCode()).isZero();

    assertThat(Instant.parse(annotation(NAMESPACE, "photoapp-jwt", Labels.ROTATE_AFTER))).isEqualTo(odd);
  }
}
