package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.photoapp.jwt.api.JwtSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's quick start on a real API server: the CRD, every example, and what kubectl shows. */
@ExtendWith(ClusterExtension.class)
class ExamplesE2E {
  static final String NS = "photoapp";
  static final List<String> COLUMNS = List.of("NAME", "ENVIRONMENT", "READY", "PHASE", "KEY ID", "LAST ROTATION",
      "NEXT ROTATION", "AGE");

  @Test
  void crdAndEveryExampleApplyAndKubectlShowsTheColumns(E2ECluster cluster) throws Exception {
    Kubectl.Result crd = cluster.kubectl.run("apply", "-f", "crds/").assertOk();
    assertThat(crd.out()).contains("customresourcedefinition.apiextensions.k8s.io/jwtsecrets.jwt.photoapp.io");

    cluster.namespace(NS);
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
    for (Path example : examples) {
      cluster.kubectl.run("apply", "-n", NS, "-f", example.toString()).assertOk();
    }
    List<String> names = cluster.admin.resources(JwtSecret.class).inNamespace(NS).list().getItems().stream()
        .map(j -> j.getMetadata().getName()).sorted().toList();
    assertThat(names).containsExactly("photoapp-jwt", "photoapp-jwt-dev", "photoapp-jwt-test", "photoapp-signing");

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Kubectl.Result get = cluster.kubectl.run("get", "jwts", "-n", NS).assertOk();
      List<Map<String, String>> rows = table(get.out());
      assertThat(rows).as(get.out()).hasSize(4);
      for (Map<String, String> row : rows) {
        assertThat(row.get("READY")).as(get.out()).isEqualTo("True");
        assertThat(row.get("PHASE")).as(get.out()).isEqualTo("Idle");
        assertThat(row.get("KEY ID")).as(get.out()).matches("[A-Za-z0-9_-]{16}");
        // A date column prints an age ("12s"); Next Rotation is a string column with the time itself.
        assertThat(row.get("LAST ROTATION")).as(get.out()).matches("\\d+[smhd].*");
        assertThat(row.get("NEXT ROTATION")).as(get.out()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        assertThat(row.get("AGE")).as(get.out()).matches("\\d+[smhd].*");
      }
      Map<String, String> environments = new LinkedHashMap<>();
      rows.forEach(r -> environments.put(r.get("NAME"), r.get("ENVIRONMENT")));
      assertThat(environments).containsExactlyInAnyOrderEntriesOf(Map.of(
          "photoapp-jwt", "production", "photoapp-jwt-dev", "development", "photoapp-jwt-test", "test",
          "photoapp-signing", "production"));
    });
    System.out.println(cluster.kubectl.run("get", "jwts", "-n", NS).out());

    // Each example's Secret exists, holds the current key, and carries the managed label.
    for (String name : names) {
      JwtSecret js = cluster.jwtSecret(NS, name);
      var secret = cluster.secret(NS, name);
      assertThat(secret).as("Secret of " + name).isNotNull();
      assertThat(secret.getData()).containsKeys("jwt-secret-key", "jwt-algorithm", "jwks-secret.json");
      assertThat(secret.getMetadata().getLabels()).containsEntry("jwt.photoapp.io/managed", "true");
      assertThat(secret.getMetadata().getAnnotations()).containsEntry("jwt.photoapp.io/key-id", js.getStatus().keyId);
    }
    // The ES256 example: the private key in the Secret, its public key in the ConfigMap the verifier mounts.
    JwtSecret signing = cluster.jwtSecret(NS, "photoapp-signing");
    assertThat(cluster.secret(NS, "photoapp-signing").getData()).containsKeys("private.jwk.json", "private.pem", "public.pem");
    var jwks = cluster.admin.configMaps().inNamespace(NS).withName("photoapp-signing-jwks").get();
    assertThat(jwks).as("ConfigMap photoapp-signing-jwks").isNotNull();
    assertThat(com.nimbusds.jose.jwk.JWKSet.parse(jwks.getData().get("jwks.json")).getKeys())
        .extracting(com.nimbusds.jose.jwk.JWK::getKeyID).containsExactly(signing.getStatus().keyId);
    assertThat(jwks.getMetadata().getLabels()).containsEntry("jwt.photoapp.io/managed", "true");

    // Creating the first key restarts nothing.
    for (String[] target : new String[][] {{"photoapp-backend", "photoapp-jwt"}, {"photoapp-backend-files", "photoapp-jwt"},
        {"photoapp-auth", "photoapp-signing"}, {"photoapp-verifier", "photoapp-signing"}}) {
      var annotations = cluster.admin.apps().deployments().inNamespace(NS).withName(target[0]).get()
          .getSpec().getTemplate().getMetadata().getAnnotations();
      assertThat(annotations == null ? Map.of() : annotations).doesNotContainKey("jwt.photoapp.io/key-set." + target[1]);
    }
  }

  /** Parses kubectl's table by the header's column offsets. */
  static List<Map<String, String>> table(String out) {
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(out).isNotEmpty();
    String header = lines.get(0);
    assertThat(List.of(header.trim().split("\\s{2,}"))).as("kubectl's columns").isEqualTo(COLUMNS);
    List<Integer> starts = new ArrayList<>();
    for (String column : COLUMNS) {
      int at = header.indexOf(column, starts.isEmpty() ? 0 : starts.get(starts.size() - 1) + 1);
      assertThat(at).as("column " + column + " in " + header).isGreaterThanOrEqualTo(0);
      starts.add(at);
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < COLUMNS.size(); i++) {
        int from = Math.min(starts.get(i), line.length());
        int to = i + 1 < COLUMNS.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
        row.put(COLUMNS.get(i), line.substring(from, to).trim());
      }
      rows.add(row);
    }
    return rows;
  }
}
