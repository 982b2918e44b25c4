package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.photoapp.jwt.api.JwtSecret;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server-side apply and the status subresource behave as the operator expects: its pod-template
 * annotation is a field of its own field manager that a GitOps tool's apply leaves alone, and its
 * status writes never bump metadata.generation.
 */
@ExtendWith(ClusterExtension.class)
class ServerSideApplyE2E {
  static final String NS = "e2e-ssa";
  static final String NAME = "ssa-jwt";
  static final String ANNOTATION = "jwt.photoapp.io/key-set." + NAME;
  static final String GITOPS = "e2e-gitops";
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  static String deployment(String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ssa-backend
          labels:
            app: ssa-backend
            jwt.photoapp.io/restartable: "true"
        spec:
          replicas: 0
          selector:
            matchLabels: { app: ssa-backend }
          template:
            metadata:
              labels: { app: ssa-backend }
              annotations:
                example.com/owned-by: gitops
            spec:
              containers:
                - name: backend
                  image: %s
                  env:
                    - name: JWT_SECRET_KEY
                      valueFrom: { secretKeyRef: { name: ssa-jwt, key: jwt-secret-key } }
        """.formatted(image);
  }

  static final String JWT_SECRET = """
      apiVersion: jwt.photoapp.io/v1alpha1
      kind: JwtSecret
      metadata:
        name: ssa-jwt
      spec:
        environment: test
        rotation:
          schedule: "@every 720h"
          strategy: Direct
          gracePeriod: 30m
        restart:
          targets:
            - kind: Deployment
              name: ssa-backend
      """;

  @BeforeAll
  static void namespace(E2ECluster cluster) {
    cluster.namespace(NS);
  }

  @Test
  void operatorOwnsItsAnnotationAndAnApplyKeepsIt(E2ECluster cluster) throws Exception {
    cluster.kubectl.runWithInput(deployment("ghcr.io/photoapp/backend:1.0"), "apply", "--server-side", "--field-manager", GITOPS,
        "-n", NS, "-f", "-").assertOk();
    cluster.apply(NS, JWT_SECRET);
    String k0 = awaitJwt(cluster, j -> j.getStatus() != null && j.getStatus().keyId != null).getStatus().keyId;

    // An emergency rotation rolls the Deployment: the operator sets its annotation.
    cluster.kubectl.run("annotate", "jwts", NAME, "-n", NS, "--overwrite",
        "jwt.photoapp.io/invalidate-before=" + Instant.now().truncatedTo(ChronoUnit.MILLIS)).assertOk();
    JwtSecret rotated = awaitJwt(cluster, j -> j.getStatus() != null && j.getStatus().rotationCount != null
        && j.getStatus().rotationCount == 1);
    String k1 = rotated.getStatus().keyId;
    assertThat(k1).isNotEqualTo(k0);
    Deployment patched = awaitDeployment(cluster, d -> k1.equals(annotations(d).get(ANNOTATION)));

    // managedFields: the operator's manager owns exactly that annotation; the apply's manager owns its own.
    ManagedFieldsEntry operatorEntry = entry(patched, "jwt-secret-operator");
    assertThat(operatorEntry.getOperation()).isEqualTo("Update");
    JsonNode fields = fieldsOf(operatorEntry);
    assertThat(fields.at("/f:spec/f:template/f:metadata/f:annotations").has("f:" + ANNOTATION))
        .as("jwt-secret-operator's managed fields: %s", fields).isTrue();
    assertThat(fields.at("/f:spec/f:template/f:metadata/f:annotations").has("f:example.com/owned-by")).isFalse();
    ManagedFieldsEntry gitopsEntry = entry(patched, GITOPS);
    assertThat(gitopsEntry.getOperation()).isEqualTo("Apply");
    assertThat(fieldsOf(gitopsEntry).at("/f:spec/f:template/f:metadata/f:annotations").has("f:example.com/owned-by")).isTrue();
    assertThat(fieldsOf(gitopsEntry).at("/f:spec/f:template/f:metadata/f:annotations").has("f:" + ANNOTATION)).isFalse();

    // The GitOps tool applies its manifest again, unchanged and then with a new image: the annotation stays.
    Kubectl.Result same = cluster.kubectl.runWithInput(deployment("ghcr.io/photoapp/backend:1.0"), "apply", "--server-side",
        "--field-manager", GITOPS, "-n", NS, "-f", "-").assertOk();
    assertThat(same.err()).doesNotContain("conflict");
    Deployment afterSame = cluster.admin.apps().deployments().inNamespace(NS).withName("ssa-backend").get();
    assertThat(annotations(afterSame)).containsEntry(ANNOTATION, k1);
    assertThat(afterSame.getMetadata().getGeneration()).isEqualTo(patched.getMetadata().getGeneration());
    cluster.kubectl.runWithInput(deployment("ghcr.io/photoapp/backend:1.1"), "apply", "--server-side", "--field-manager", GITOPS,
        "-n", NS, "-f", "-").assertOk();
    Deployment afterNewImage = cluster.admin.apps().deployments().inNamespace(NS).withName("ssa-backend").get();
    assertThat(afterNewImage.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/photoapp/backend:1.1");
    assertThat(annotations(afterNewImage)).containsEntry(ANNOTATION, k1).containsEntry("example.com/owned-by", "gitops");
    assertThat(entry(afterNewImage, "jwt-secret-operator")).isNotNull();
    // And the operator does not fight the apply: its annotation already holds the key set.
    Thread.sleep(2000);
    assertThat(cluster.admin.apps().deployments().inNamespace(NS).withName("ssa-backend").get().getMetadata().getGeneration())
        .isEqualTo(afterNewImage.getMetadata().getGeneration());
  }

  @Test
  void statusWritesDoNotBumpTheGeneration(E2ECluster cluster) {
    cluster.apply(NS, """
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata:
          name: ssa-status
        spec:
          environment: test
          rotation:
            schedule: "@every 720h"
            strategy: Staged
            propagationDelay: 1s
        """);
    JwtSecret ready = awaitJwtNamed(cluster, "ssa-status", j -> j.getStatus() != null && j.getStatus().keyId != null
        && j.getStatus().observedGeneration != null);
    long generation = ready.getMetadata().getGeneration();
    assertThat(ready.getStatus().observedGeneration).isEqualTo(generation);
    // The operator puts no finalizer on it, and its status patches did not bump the generation.
    assertThat(ready.getMetadata().getFinalizers()).isNullOrEmpty();
    assertThat(generation).isEqualTo(1L);

    // A rotation: many status writes (Publishing, Switching, Retiring), metadata annotation changes.
    cluster.kubectl.run("annotate", "jwts", "ssa-status", "-n", NS, "--overwrite",
        "jwt.photoapp.io/rotate-after=" + Instant.now().truncatedTo(ChronoUnit.MILLIS)).assertOk();
    JwtSecret rotated = awaitJwtNamed(cluster, "ssa-status", j -> j.getStatus().rotationCount != null
        && j.getStatus().rotationCount == 1);
    assertThat(rotated.getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(rotated.getStatus().observedGeneration).isEqualTo(generation);

    // A spec change bumps it, and the operator observes the new generation.
    cluster.kubectl.run("patch", "jwts", "ssa-status", "-n", NS, "--type", "merge", "-p",
        "{\"spec\":{\"token\":{\"accessTokenExpireMinutes\":20}}}").assertOk();
    JwtSecret changed = awaitJwtNamed(cluster, "ssa-status", j -> j.getMetadata().getGeneration() == generation + 1
        && j.getStatus().observedGeneration == generation + 1);
    assertThat(changed.getStatus().rotationCount).isEqualTo(1);
  }

  static ManagedFieldsEntry entry(Deployment d, String manager) {
    List<ManagedFieldsEntry> entries = d.getMetadata().getManagedFields().stream()
        .filter(e -> manager.equals(e.getManager())).toList();
    assertThat(entries).as("managedFields of manager %s in %s", manager, d.getMetadata().getManagedFields()).hasSize(1);
    return entries.get(0);
  }

  static JsonNode fieldsOf(ManagedFieldsEntry entry) {
    return new ObjectMapper().valueToTree(entry.getFieldsV1().getAdditionalProperties());
  }

  static java.util.Map<String, String> annotations(Deployment d) {
    var a = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return a == null ? java.util.Map.of() : a;
  }

  static JwtSecret awaitJwt(E2ECluster cluster, java.util.function.Predicate<JwtSecret> done) {
    return awaitJwtNamed(cluster, NAME, done);
  }

  static JwtSecret awaitJwtNamed(E2ECluster cluster, String name, java.util.function.Predicate<JwtSecret> done) {
    JwtSecret[] last = new JwtSecret[1];
    await(name).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      last[0] = cluster.jwtSecret(NS, name);
      return last[0] != null && done.test(last[0]);
    });
    return last[0];
  }

  static Deployment awaitDeployment(E2ECluster cluster, java.util.function.Predicate<Deployment> done) {
    Deployment[] last = new Deployment[1];
    await("Deployment ssa-backend").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      last[0] = cluster.admin.apps().deployments().inNamespace(NS).withName("ssa-backend").get();
      return last[0] != null && done.test(last[0]);
    });
    return last[0];
  }
}
