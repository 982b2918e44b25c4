package io.photoapp.jwt.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.restart.ArgoRollouts;
import io.photoapp.jwt.restart.KeySetAnnotation;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An Argo Rollouts Rollout as a restart target: restarted through spec.restartAt, judged by its status. */
@MockApiServer
class ArgoRolloutsScenarioTest {
  static final String NS = "photoapp";
  static final String NAME = "photoapp-jwt";
  OperatorHarness h;
  LeakGuard leaks;

  @BeforeEach
  void setUp(OperatorHarness harness, LeakGuard guard) {
    h = harness;
    leaks = guard;
    h.namespace(NS, Map.of());
  }

  /** The Argo Rollouts CRD as its chart installs it, reduced to what an API server needs to serve Rollouts. */
  static CustomResourceDefinition rolloutCrd() {
    return new CustomResourceDefinitionBuilder().withNewMetadata().withName("rollouts.argoproj.io").endMetadata()
        .withNewSpec().withGroup(ArgoRollouts.GROUP).withScope("Namespaced")
        .withNewNames().withKind(ArgoRollouts.KIND).withPlural(ArgoRollouts.PLURAL).withSingular("rollout").endNames()
        .addNewVersion().withName(ArgoRollouts.VERSION).withServed(true).withStorage(true)
        .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
            .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .endVersion().endSpec().build();
  }

  void rollout(String name) {
    GenericKubernetesResource r = Serialization.unmarshal("""
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: %s
          namespace: photoapp
          labels: {"jwt.photoapp.io/restartable": "true"}
        spec:
          replicas: 3
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
                - name: app
                  image: photoapp:1
                  env:
                    - name: JWT_SECRET_KEY_NEXT
                      valueFrom: {secretKeyRef: {name: photoapp-jwt, key: jwt-secret-key-next, optional: true}}
          strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
        """.formatted(name, name, name), GenericKubernetesResource.class);
    h.client.genericKubernetesResources(ArgoRollouts.CONTEXT).inNamespace(NS).resource(r).create();
  }

  GenericKubernetesResource getRollout(String name) {
    return h.client.genericKubernetesResources(ArgoRollouts.CONTEXT).inNamespace(NS).withName(name).get();
  }

  void applyJwtSecret() {
    h.apply(JwtSecrets.named(NAME).in(NS).production().timing("@every 720h", "15m", "2m", "10m")
        .restarts(Targets.rollout("backend")));
  }

  JwtSecret step(Runnable change, Phase phase, Predicate<JwtSecret> also) {
    change.run();
    h.poke(NS, NAME);
    return h.awaitStatus(NS, NAME, js -> js.getStatus().phase == phase && also.test(js));
  }

  @Test
  void aRolloutIsRestartedThroughRestartAtAtEveryStageAndHoldsTheRotationUntilHealthy() {
    h.client.resource(rolloutCrd()).create();
    rollout("backend");
    h.start();
    applyJwtSecret();
    String k1 = h.awaitStatus(NS, NAME, js -> js.getStatus().keyId != null).getStatus().keyId;
    h.clock.advance(Duration.ofSeconds(1));
    h.edit(NS, NAME, js -> {
      js.getMetadata().getAnnotations().put(Labels.ROTATE_AFTER, h.clock.instant().toString());
      return js;
    });
    JwtSecret publishing = h.awaitStatus(NS, NAME, js -> js.getStatus().phase == Phase.Publishing
        && js.getStatus().workloads != null && !js.getStatus().workloads.isEmpty());
    String k2 = publishing.getStatus().nextKeyId;

    GenericKubernetesResource r = getRollout("backend");
    // The key set on the Rollout's metadata, the restart through spec.restartAt (the injected clock's
    // time), and the pod template untouched: no new revision, no canary steps for a key change.
    assertThat(r.getMetadata().getAnnotations()).containsEntry(KeySetAnnotation.nameFor(NAME), k1 + "," + k2);
    assertThat(((Map<?, ?>) r.getAdditionalProperties().get("spec")).get("restartAt")).isEqualTo(h.clock.instant().toString());
    assertThat(Serialization.asJson(((Map<?, ?>) r.getAdditionalProperties().get("spec")).get("template")))
        .doesNotContain(Labels.KEY_SET_PREFIX);
    assertThat(Conditions.find(publishing.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).get().getReason())
        .isEqualTo(Conditions.ROLLOUT_IN_PROGRESS);

    // Until the controller reports the restart done and the Rollout Healthy, the switch waits.
    h.clock.advance(Duration.ofMinutes(3));
    h.pokeAndAwaitReconcile(NS, NAME);
    assertThat(h.get(NS, NAME).getStatus().phase).isEqualTo(Phase.Publishing);

    JwtSecret switching = step(h::completeRollouts, Phase.Switching, js -> true);
    assertThat(switching.getStatus().keyId).isEqualTo(k2);
    assertThat(getRollout("backend").getMetadata().getAnnotations()).containsEntry(KeySetAnnotation.nameFor(NAME), k2 + "," + k1);
    step(h::completeRollouts, Phase.Retiring, js -> true);
    assertThat(h.eventReasons(NS, NAME)).contains("RolloutStarted", "RolloutComplete");
  }

  @Test
  void withoutTheRolloutCrdTheOperatorRunsAndTheTargetSaysWhy() {
    h.deployment(NS, "frontend", Map.of());
    h.start();
    h.apply(JwtSecrets.named(NAME).in(NS).production().restarts(Targets.rollout("backend"), Targets.deployment("frontend")));
    h.awaitStatus(NS, NAME, x -> x.getStatus().keyId != null);
    h.completeRollouts();
    h.poke(NS, NAME);
    JwtSecret js = h.awaitStatus(NS, NAME, x -> Conditions.find(x.getStatus().conditions, Conditions.ROLLOUT_COMPLETE)
        .filter(c -> !Conditions.ROLLOUT_IN_PROGRESS.equals(c.getReason())).isPresent());
    var condition = Conditions.find(js.getStatus().conditions, Conditions.ROLLOUT_COMPLETE).get();
    assertThat(condition.getReason()).isEqualTo(Conditions.TARGET_NOT_FOUND);
    assertThat(condition.getMessage()).contains("Rollout backend").contains("Argo Rollouts cannot be read");
    assertThat(Conditions.isTrue(js.getStatus().conditions, Conditions.READY)).isTrue();
  }
}
