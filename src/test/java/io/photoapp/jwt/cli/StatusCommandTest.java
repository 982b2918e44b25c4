package io.photoapp.jwt.cli;

import static io.photoapp.jwt.cli.CliRunner.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Weekday;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusCommandTest extends CliScenario {
  private JwtSecret create(String namespace, String name, String environment) {
    h.apply(JwtSecrets.named(name).in(namespace).environment(Environment.parse(environment).orElseThrow()));
    return h.awaitStatus(namespace, name, js -> js.getStatus().keyId != null);
  }

  @Test
  void planShowsTheNextRotationStageByStageFromTheOperatorsPlanner() {
    h.namespace("prod", Map.of(Labels.REQUIRE_APPROVAL, "true"));
    h.apply(JwtSecrets.named("photoapp-jwt").in("prod").label("app", "photoapp").production()
        .schedule("@every 720h").propagationDelay("2m").gracePeriod("30m").window("02:00", "05:00", Weekday.Sun));
    JwtSecret js = h.awaitStatus("prod", "photoapp-jwt", x -> x.getStatus().keyId != null);

    CliRunner.Result table = cli.run("status", "--plan", "-n", "prod", "photoapp-jwt");
    assertThat(table.exitCode()).isZero();
    // Due 2026-12-28T06:00Z, a Monday: the Sunday window that follows opens on 2027-01-03 at 02:00.
    assertThat(table.out()).contains("prod/photoapp-jwt: phase Idle, key " + js.getStatus().keyId + ", approval Manual")
        .contains("next rotation: 2026-12-28T06:00:00Z (Scheduled")
        .containsPattern("publish +2027-01-03T02:00:00Z")
        .containsPattern("switch +2027-01-03T02:02:00Z +the publish rollout, propagationDelay 2m, and approval")
        .containsPattern("retire +2027-01-03T02:32:00Z")
        .contains("hold:          approval: Manual");

    CliRunner.Result json = cli.run("status", "--plan", "-A", "-l", "app=photoapp", "-o", "json");
    assertThat(json.exitCode()).isZero();
    JsonNode items = Serialization.unmarshal(json.out(), JsonNode.class).get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("stages").get(0).get("name").asText()).isEqualTo("publish");
    assertThat(items.get(0).get("now").asText()).isEqualTo("nothing until the next rotation");
    assertThat(cli.run("status", "--plan", "-l", "app=other", "-A").err()).contains("no JwtSecrets found");
  }

  /**
   * status.nextStages, which {@code kubectl get -o yaml} shows, is what {@code status --plan} prints for
   * the rotation in progress, at every stage: the same planner on the same inputs.
   */
  @Test
  void nextStagesInStatusAreTheStagesStatusPlanShows() {
    h.deployment(NAMESPACE, "backend", Map.of());
    h.apply(JwtSecrets.named("staged").in(NAMESPACE).production().timing("@every 720h", "20m", "2m", "10m")
        .restarts(Targets.deployment("backend")));
    h.awaitStatus(NAMESPACE, "staged", js -> js.getStatus().keyId != null);
    assertThat(h.get(NAMESPACE, "staged").getStatus().nextStages).isNull();
    h.completeRollouts();

    h.clock.advance(java.time.Duration.ofSeconds(1));
    h.edit(NAMESPACE, "staged", js -> {
      js.getMetadata().getAnnotations().put(Labels.ROTATE_AFTER, h.clock.instant().toString());
      return js;
    });
    JwtSecret publishing = h.awaitStatus(NAMESPACE, "staged", js -> js.getStatus().phase == io.photoapp.jwt.api.Phase.Publishing);
    assertThat(stagesOf(publishing)).containsExactly(
        "switch " + h.clock.instant().plusSeconds(120), "grace end " + h.clock.instant().plusSeconds(120 + 1200),
        "retire " + h.clock.instant().plusSeconds(120 + 1200));
    assertThat(stagesOf(publishing)).isEqualTo(planned("staged"));

    h.completeRollouts();
    h.awaitStatus(NAMESPACE, "staged", js -> io.photoapp.jwt.status.Conditions.isTrue(js.getStatus().conditions,
        io.photoapp.jwt.status.Conditions.ROLLOUT_COMPLETE));
    h.clock.advance(java.time.Duration.ofMinutes(2).plusSeconds(1));
    h.poke(NAMESPACE, "staged");
    JwtSecret switching = h.awaitStatus(NAMESPACE, "staged", js -> js.getStatus().phase == io.photoapp.jwt.api.Phase.Switching);
    assertThat(stagesOf(switching)).containsExactly("grace end " + h.clock.instant().plusSeconds(1200),
        "retire " + h.clock.instant().plusSeconds(1200));
    assertThat(stagesOf(switching)).isEqualTo(planned("staged"));

    h.clock.advance(java.time.Duration.ofSeconds(30));
    h.completeRollouts();
    JwtSecret retiring = h.awaitStatus(NAMESPACE, "staged", js -> js.getStatus().phase == io.photoapp.jwt.api.Phase.Retiring);
    assertThat(stagesOf(retiring)).containsExactly("retire " + retiring.getStatus().previousKeyExpiresAt);
    assertThat(stagesOf(retiring)).isEqualTo(planned("staged"));

    h.clock.advance(java.time.Duration.ofMinutes(21));
    h.poke(NAMESPACE, "staged");
    JwtSecret idle = h.awaitStatus(NAMESPACE, "staged", js -> js.getStatus().phase == io.photoapp.jwt.api.Phase.Idle);
    assertThat(idle.getStatus().nextStages).isNull();
  }

  private static java.util.List<String> stagesOf(JwtSecret js) {
    return js.getStatus().nextStages.stream().map(s -> s.stage + " " + s.earliest).toList();
  }

  /** The stages {@code status --plan -o json} prints for one JwtSecret. */
  private java.util.List<String> planned(String name) {
    CliRunner.Result json = cli.run("status", "--plan", "-n", NAMESPACE, name, "-o", "json");
    assertThat(json.exitCode()).isZero();
    java.util.List<String> stages = new java.util.ArrayList<>();
    JsonNode out = Serialization.unmarshal(json.out(), JsonNode.class);
    (out.has("items") ? out.get("items").get(0) : out).get("stages")
        .forEach(s -> stages.add(s.get("name").asText() + " " + s.get("earliest").asText()));
    return stages;
  }

  @Test
  void theTableShowsKeyIdPhaseRotationsAndRollout() {
    JwtSecret js = create(NAMESPACE, "photoapp-jwt", "production");

    CliRunner.Result r = cli.run("status");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow()).matches(
        "NAMESPACE +NAME +ENVIRONMENT +READY +KEY ID +PHASE +LAST ROTATION +NEXT ROTATION +ROLLOUT");
    assertThat(r.out()).containsPattern("photoapp +photoapp-jwt +production +True +" + js.getStatus().keyId
        + " +Idle +2026-11-28T06:00:00Z +" + js.getStatus().nextRotationTime + " +NoTargets");
  }

  @Test
  void theRolloutColumnShowsEachTarget() {
    h.client.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
        .withNewMetadata().withName("backend").withLabels(Map.of(Labels.RESTARTABLE, "true")).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "backend")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "backend")).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("photoapp").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    h.apply(JwtSecrets.named("photoapp-jwt").in("photoapp").development().restarts(Targets.deployment("backend")));
    h.awaitStatus(NAMESPACE, "photoapp-jwt", js -> js.getStatus().workloads != null);

    CliRunner.Result r = cli.run("status", "photoapp-jwt");

    // Nothing rolls the mock server's Deployment, so the target waits.
    assertThat(r.out()).contains("RolloutInProgress (Deployment/backend:waiting)");
  }

  @Test
  void jsonOfOneJwtSecretIsAnObjectWithItsTargetsAndConditions() throws Exception {
    JwtSecret js = create(NAMESPACE, "photoapp-jwt", "development");

    CliRunner.Result r = cli.run("status", "photoapp-jwt", "-o", "json");

    assertThat(r.exitCode()).isZero();
    JsonNode json = Serialization.jsonMapper().readTree(r.out());
    assertThat(json.get("name").asText()).isEqualTo("photoapp-jwt");
    assertThat(json.get("environment").asText()).isEqualTo("development");
    assertThat(json.get("ready").asText()).isEqualTo("True");
    assertThat(json.get("keyId").asText()).isEqualTo(js.getStatus().keyId);
    assertThat(json.get("phase").asText()).isEqualTo("Idle");
    assertThat(json.get("rolloutComplete").asText()).isEqualTo("True");
    assertThat(json.get("conditions").findValuesAsText("type")).contains("Ready", "PolicyCompliant", "RolloutComplete");
  }

  @Test
  void yamlOfEveryNamespaceListsItems() {
    h.namespace("staging", Map.of());
    JwtSecret a = create(NAMESPACE, "photoapp-jwt", "development");
    JwtSecret b = create("staging", "photoapp-jwt", "test");

    CliRunner.Result r = cli.run("status", "-A", "-o", "yaml");

    assertThat(r.exitCode()).isZero();
    JsonNode yaml = Serialization.unmarshal(r.out(), JsonNode.class);
    assertThat(yaml.get("items").findValuesAsText("namespace")).containsExactly("photoapp", "staging");
    assertThat(yaml.get("items").findValuesAsText("keyId")).containsExactly(a.getStatus().keyId, b.getStatus().keyId);
  }

  @Test
  @NoKeys
  void withoutJwtSecretsTheTableSaysSoAndJsonIsAnEmptyList() {
    CliRunner.Result table = cli.run("status");
    CliRunner.Result json = cli.run("status", "-o", "json");

    assertThat(table.exitCode()).isZero();
    assertThat(table.err()).contains("no JwtSecrets found in namespace photoapp");
    assertThat(json.out()).contains("\"items\" : [ ]");
  }

  @Test
  void theNamespaceComesFromTheFlagOverTheContext() {
    h.namespace("staging", Map.of());
    create("staging", "only-here", "development");

    assertThat(cli.run("status").out()).doesNotContain("only-here");
    assertThat(cli.run("status", "-n", "staging").out()).contains("only-here");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"status -o xml", "status photoapp-jwt -A", "status -A -n photoapp", "status a b"})
  @NoKeys
  void badArgumentsAreOneErrorLineAndExitCode2(String args) {
    refused(args);
  }

  @Test
  @NoKeys
  void anUnknownJwtSecretIsAnError() {
    CliRunner.Result r = cli.run("status", "nope");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("error: JwtSecret nope not found in namespace photoapp");
  }

  @Test
  @NoKeys
  void anUnreachableApiServerIsAnError() {
    unreachable("status --context dead");
  }
}
