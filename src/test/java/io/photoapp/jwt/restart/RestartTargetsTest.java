package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Limits;
import io.photoapp.jwt.api.SelectorOperator;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.api.WorkloadStatus;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.restart.ArgoRollouts;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import io.photoapp.jwt.testing.Workloads;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which workload changes wake which JwtSecret: a workload event reconciles exactly the JwtSecrets
 * whose restart targets name it or select it, so a rollout is judged again as soon as it moves, and
 * nothing else in the namespace costs a reconcile. And the generations a JwtSecret recorded when it
 * rolled its targets, which judge their rollout after a restart of the operator.
 */
class RestartTargetsTest {
  static JwtSecret app(Targets... targets) {
    return JwtSecrets.named("app").in("photoapp").production().restarts(targets).build();
  }

  @Test
  void aJwtSecretIsIndexedUnderEachTargetOnceAndASelectorUnderItsKind() {
    JwtSecret js = app(Targets.deployment("backend"), Targets.deployment("backend").noWait(),
        Targets.statefulSets().matchLabels(Map.of("app", "db")), Targets.daemonSet("agent"));
    assertThat(RestartTargets.keys(js))
        .containsExactly("photoapp/Deployment/backend", "photoapp/StatefulSet/*", "photoapp/DaemonSet/agent");
  }

  @Test
  void aJwtSecretWithoutTargetsOrWithMoreThanTheSchemaAllowsWatchesNoWorkload() {
    assertThat(RestartTargets.keys(JwtSecrets.named("app").in("photoapp").production().build())).isEmpty();
    Targets[] tooMany = IntStream.rangeClosed(0, Limits.TARGETS).mapToObj(i -> Targets.deployment("d" + i))
        .toArray(Targets[]::new);
    JwtSecret js = app(tooMany);
    assertThat(RestartTargets.keys(js)).isEmpty();
    assertThat(RestartTargets.targets(js, TargetKind.Deployment, Workloads.deployment("d0").in("photoapp").build()))
        .isFalse();
  }

  static Stream<Arguments> workloads() {
    return Stream.of(
        argumentSet("named, same kind", app(Targets.deployment("backend")), TargetKind.Deployment,
            Workloads.deployment("backend"), true),
        argumentSet("named, another workload", app(Targets.deployment("backend")), TargetKind.Deployment,
            Workloads.deployment("frontend"), false),
        argumentSet("named, another kind of the same name", app(Targets.deployment("backend")), TargetKind.StatefulSet,
            Workloads.statefulSet("backend"), false),
        argumentSet("selected by its labels", app(Targets.deployments().matchLabels(Map.of("tier", "web"))),
            TargetKind.Deployment, Workloads.deployment("web").label("tier", "web"), true),
        argumentSet("not selected", app(Targets.deployments().matchLabels(Map.of("tier", "web"))),
            TargetKind.Deployment, Workloads.deployment("db").label("tier", "db"), false),
        argumentSet("NotIn selects a workload without the label, as Kubernetes does",
            app(Targets.deployments().matchExpression("tier", SelectorOperator.NotIn, "db")), TargetKind.Deployment,
            Workloads.deployment("plain"), true),
        argumentSet("In never selects a workload without labels",
            app(Targets.deployments().matchExpression("tier", SelectorOperator.In, "web")), TargetKind.Deployment,
            Workloads.deployment("plain"), false),
        argumentSet("an expression selects it", app(Targets.daemonSets().matchExpression("tier", SelectorOperator.Exists)),
            TargetKind.DaemonSet, Workloads.daemonSet("agent").label("tier", "node"), true));
  }

  @ParameterizedTest
  @MethodSource("workloads")
  void aWorkloadEventWakesTheJwtSecretsThatTargetIt(JwtSecret js, TargetKind kind, Workloads workload, boolean wakes) {
    HasMetadata w = workload.in("photoapp").build();
    assertThat(RestartTargets.targets(js, kind, w)).isEqualTo(wakes);
  }

  @Test
  void theGenerationsRecordedInStatusAreReadBackByWorkload() {
    JwtSecretStatus status = new JwtSecretStatus();
    status.workloads = List.of(new WorkloadStatus(TargetKind.Deployment, "backend", "k2,k1", 7L, false, "rolling out"),
        new WorkloadStatus(TargetKind.StatefulSet, "db", "k1", null, true, null));
    assertThat(RestartTargets.recordedGenerations(status)).isEqualTo(Map.of("Deployment/backend", 7L));
    assertThat(RestartTargets.recordedGenerations(new JwtSecretStatus())).isEmpty();
  }

  @Test
  void aRolloutTargetIsMissingAndSaysWhyWhileArgoRolloutsCannotBeRead() {
    JwtSecret js = app(Targets.rollout("canary"), Targets.deployment("backend"));
    EffectiveSpec spec = SpecResolver.resolve(js).spec();
    KeyState state = KeyState.fresh(StoredKey.of(new KeyGenerator().generate(spec.encoding(), spec.length()), spec.algorithm(),
        Instant.parse("2026-03-01T12:00:00Z")), Reasons.CREATED, 0);
    RolloutAssessment unreadable = RestartTargets.assess(new TargetViews(List.of(), Set.of(), false), js, spec,
        state, Map.of());
    assertThat(unreadable.missing()).anySatisfy(m -> assertThat(m).startsWith("Rollout canary").endsWith(ArgoRollouts.UNAVAILABLE + ")"));
    assertThat(unreadable.missing()).anySatisfy(m -> assertThat(m).startsWith("Deployment backend").doesNotContain("Argo"));
    RolloutAssessment readable = RestartTargets.assess(new TargetViews(List.of(), Set.of(), true), js, spec,
        state, Map.of());
    assertThat(readable.missing()).hasSize(2).noneMatch(m -> m.contains(ArgoRollouts.UNAVAILABLE));
  }
}
