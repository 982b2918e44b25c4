package io.photoapp.jwt.cli;

import static io.photoapp.jwt.cli.CliRunner.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer.NoKeys;
import io.photoapp.jwt.testing.OperatorHarness;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditCommandTest extends CliScenario {
  static final String STRONG = "5mX0c3QkzT1aQ9wAZt1aQ9wLp0sXr2Bqk3Hq9-Zt1aQ9wLp0sXr2Bq_Hq9-Zt1aQ9w";
  private JwtSecret create(JwtSecrets jwtSecret) {
    h.apply(jwtSecret);
    return h.awaitStatus(jwtSecret.namespace(), jwtSecret.name(),
        js -> js.getStatus().conditions != null && !js.getStatus().conditions.isEmpty());
  }

  private void secret(String namespace, String name, Map<String, String> data) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    h.client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withData(encoded).build()).create();
  }

  private static List<JsonNode> findings(CliRunner.Result r) throws Exception {
    JsonNode json = Serialization.jsonMapper().readTree(r.out());
    return StreamSupport.stream(json.get("findings").spliterator(), false).toList();
  }

  private static List<String> rules(List<JsonNode> findings, String name) {
    return findings.stream().filter(f -> f.get("name").asText().equals(name)).map(f -> f.get("rule").asText()).toList();
  }

  @Test
  void aCompliantNamespaceIsCleanWithExitCode0() throws Exception {
    create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).production());

    CliRunner.Result table = cli.run("audit");
    CliRunner.Result json = cli.run("audit", "-o", "json");

    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).isEqualTo("audit of namespace photoapp: no problems found; checked 1 JwtSecret,"
        + " 0 unmanaged Secrets with JWT keys (1 Secret scanned) and 0 workloads" + System.lineSeparator());
    assertThat(json.exitCode()).isZero();
    JsonNode report = Serialization.jsonMapper().readTree(json.out());
    assertThat(report.get("violations").asInt()).isZero();
    assertThat(report.get("jwtSecrets").asInt()).isEqualTo(1);
  }

  @Test
  void aSettingsViolationIsReportedWithTheKeyIdAndExitCode1() {
    JwtSecret js = create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).production().tokenMinutes(90));

    CliRunner.Result r = cli.run("audit");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).containsPattern("photoapp +JwtSecret +photoapp-jwt +- +" + js.getStatus().keyId
        + " +violation +token-lifetime +token lifetime 90m exceeds production's limit of 60m");
    assertThat(r.out()).contains("grace-period").contains("audit of namespace photoapp: 2 violations, 0 warnings;");
  }

  @Test
  void aSharedKeyNamesBothHoldersAndEveryCopy() throws Exception {
    JwtSecret first = create(JwtSecrets.named("a-jwt").in(NAMESPACE).development());
    create(JwtSecrets.named("b-jwt").in(NAMESPACE).development());
    h.stopOperator(); // else it replaces the duplicate at once
    String aKey = OperatorHarness.data(h.secret(NAMESPACE, "a-jwt"), "jwt-secret-key");
    h.client.secrets().inNamespace(NAMESPACE).withName("b-jwt").edit(s -> {
      s.getData().put("jwt-secret-key", Base64.getEncoder().encodeToString(aKey.getBytes(StandardCharsets.UTF_8)));
      return s;
    });
    secret(NAMESPACE, "legacy-copy", Map.of("JWT_SECRET_KEY", aKey));

    CliRunner.Result r = cli.run("audit", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    List<JsonNode> findings = findings(r);
    assertThat(rules(findings, "a-jwt")).isEmpty();
    assertThat(rules(findings, "b-jwt")).contains("duplicate-key", "external-change");
    JsonNode duplicate = findings.stream().filter(f -> f.get("name").asText().equals("b-jwt")
        && f.get("rule").asText().equals("duplicate-key")).findFirst().orElseThrow();
    assertThat(duplicate.get("keyId").asText()).isEqualTo(first.getStatus().keyId);
    assertThat(duplicate.get("message").asText()).contains("also held by JwtSecret photoapp/a-jwt, which had it first");
    JsonNode copy = findings.stream().filter(f -> f.get("name").asText().equals("legacy-copy")).findFirst().orElseThrow();
    assertThat(copy.get("kind").asText()).isEqualTo("Secret");
    assertThat(copy.get("dataKey").asText()).isEqualTo("JWT_SECRET_KEY");
    assertThat(copy.get("message").asText()).contains("JwtSecret photoapp/a-jwt", "JwtSecret photoapp/b-jwt");
  }

  @Test
  void uniquenessIsCheckedAcrossNamespacesEvenWhenOneIsAudited() throws Exception {
    h.namespace("staging", Map.of());
    JwtSecret first = create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).production());
    create(JwtSecrets.named("photoapp-jwt").in("staging").test());
    h.stopOperator();
    String prodKey = OperatorHarness.data(h.secret(NAMESPACE, "photoapp-jwt"), "jwt-secret-key");
    h.client.secrets().inNamespace("staging").withName("photoapp-jwt").edit(s -> {
      s.getData().put("jwt-secret-key", Base64.getEncoder().encodeToString(prodKey.getBytes(StandardCharsets.UTF_8)));
      s.getMetadata().getAnnotations().put(Labels.KEY_CREATED_AT, "2026-11-28T07:00:00Z");
      return s;
    });

    CliRunner.Result r = cli.run("audit", "-n", "staging");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).containsPattern("staging +JwtSecret +photoapp-jwt +- +" + first.getStatus().keyId
        + " +violation +duplicate-key +the key is also held by JwtSecret photoapp/photoapp-jwt, which had it first");
  }

  @Test
  void unmanagedSecretsWithJwtKeysAreCheckedForWeakAndShortValues() throws Exception {
    secret(NAMESPACE, "legacy", Map.of(
        "JWT_SECRET_KEY", "super-secret-key-change-me-in-production-please",
        "jwtSecret", "k3Hq9-Zt1aQ9wLp0sXr2",
        "DATABASE_PASSWORD", "password123456"));
    secret(NAMESPACE, "good", Map.of("jwt_secret", STRONG));

    CliRunner.Result r = cli.run("audit", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    List<JsonNode> findings = findings(r);
    assertThat(findings).extracting(f -> f.get("name").asText() + "/" + f.get("dataKey").asText() + ":" + f.get("rule").asText())
        .containsExactlyInAnyOrder("legacy/JWT_SECRET_KEY:weak-key", "legacy/jwtSecret:minimum-length", "legacy/jwtSecret:entropy");
    assertThat(findings).allSatisfy(f -> assertThat(f.get("keyId").asText()).hasSize(16));
    JsonNode report = Serialization.jsonMapper().readTree(r.out());
    assertThat(report.get("unmanagedSecretsWithJwtKeys").asInt()).isEqualTo(2);
  }

  @Test
  void anInvalidSpecIsReportedAndItsSecretIsNotTakenForAnUnmanagedOne() {
    create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).development());
    h.edit(NAMESPACE, "photoapp-jwt", js -> {
      js.getSpec().rotation = new io.photoapp.jwt.api.RotationSpec();
      js.getSpec().rotation.schedule = "every tuesday";
      return js;
    });

    CliRunner.Result r = cli.run("audit");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).containsPattern("photoapp +JwtSecret +photoapp-jwt +- +- +violation +invalid-spec +spec.rotation")
        .contains("1 violation, 0 warnings; checked 1 JwtSecret, 0 unmanaged Secrets");
  }

  @Test
  void aManagedSecretLeftWithoutItsJwtSecretIsCheckedAsUnmanagedButNotAsItsOwnDuplicate() {
    create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).development());
    h.stopOperator(); // a running operator would release the Secret: leave it as an orphan
    h.client.resources(JwtSecret.class).inNamespace(NAMESPACE).withName("photoapp-jwt")
        .edit(js -> {
          js.getMetadata().setFinalizers(null);
          return js;
        });
    h.client.resources(JwtSecret.class).inNamespace(NAMESPACE).withName("photoapp-jwt").delete();

    CliRunner.Result r = cli.run("audit");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("checked 0 JwtSecrets, 1 unmanaged Secret with JWT keys");
  }

  @Test
  void theNamespaceLabelRaisesTheProfile() {
    h.namespace("strict", Map.of(Labels.MINIMUM_ENVIRONMENT, "production"));
    create(JwtSecrets.named("photoapp-jwt").in("strict").development().paused());
    create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).development().paused());

    CliRunner.Result strict = cli.run("audit", "-n", "strict");
    CliRunner.Result relaxed = cli.run("audit", "-n", NAMESPACE);

    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.out()).contains("rotation-interval", "scheduled rotation is paused; production requires rotation");
    assertThat(relaxed.exitCode()).isZero();
  }

  @Test
  void aForeignSecretInTheWayIsAConflictAndIsCheckedAsUnmanaged() throws Exception {
    secret(NAMESPACE, "photoapp-jwt", Map.of("jwt-secret-key", "changeme-changeme-changeme-changeme"));
    create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).development());

    CliRunner.Result r = cli.run("audit", "-o", "json");

    assertThat(r.exitCode()).isEqualTo(1);
    List<JsonNode> findings = findings(r);
    assertThat(findings).extracting(f -> f.get("kind").asText() + ":" + f.get("rule").asText())
        .contains("JwtSecret:secret-conflict", "Secret:weak-key");
  }

  @Test
  void allNamespacesAreAuditedWithA() throws Exception {
    h.namespace("staging", Map.of());
    create(JwtSecrets.named("photoapp-jwt").in(NAMESPACE).development());
    secret("staging", "legacy", Map.of("JWT_SECRET", "password-password-password-password"));

    CliRunner.Result here = cli.run("audit");
    CliRunner.Result everywhere = cli.run("audit", "-A", "-o", "json");

    assertThat(here.exitCode()).isZero();
    assertThat(everywhere.exitCode()).isEqualTo(1);
    assertThat(findings(everywhere)).extracting(f -> f.get("namespace").asText()).containsOnly("staging");
    assertThat(Serialization.jsonMapper().readTree(everywhere.out()).get("scope").asText()).isEqualTo("all namespaces");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"audit -o yaml", "audit -A -n photoapp", "audit extra"})
  @NoKeys
  void badArgumentsAreOneErrorLineAndExitCode2(String args) {
    refused(args);
  }

  @Test
  @NoKeys
  void anUnreachableApiServerIsAnError() {
    unreachable("audit --context dead");
  }
}
