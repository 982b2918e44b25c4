package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.SelectorOperator;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.api.TargetSelector;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.JwtSecrets.Targets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which workloads a rotation rolls and whether it may go on: each case a target list and the
 * namespace's workloads, and what the planner makes of them, as one line a person can read.
 */
class RolloutPlannerTest {
  static final String ANNOTATION = "jwt.photoapp.io/key-set-app";
  static final String KEY_SET = "k2,k1";

  /** An opted-in workload: its pod template carries {@code marked} (null: never rolled), rolled out unless said otherwise. */
  static Workload deployment(String name, String marked) {
    return new Workload(TargetKind.Deployment, name, marked);
  }

  static final class Workload {
    final TargetKind kind;
    final String name;
    final String marked;
    Map<String, String> labels = Map.of("app", "photoapp");
    boolean rolledOut = true;
    String unsupported;

    Workload(TargetKind kind, String name, String marked) {
      this.kind = kind;
      this.name = name;
      this.marked = marked;
    }

    Workload labels(Map<String, String> l) {
      labels = l;
      return this;
    }

    Workload rolling() {
      rolledOut = false;
      return this;
    }

    Workload onDelete() {
      unsupported = kind + " " + name + " uses updateStrategy OnDelete";
      return this;
    }

    WorkloadView view() {
      Map<String, String> annotations = marked == null ? Map.of() : Map.of(ANNOTATION, marked);
      return new WorkloadView(kind, name, labels, annotations, null, 3, rolledOut ? 3 : 2,
          Optional.ofNullable(unsupported), Optional.empty());
    }
  }

  /** A case: the targets, the workloads, and what else the reconcile knows. */
  record Case(List<Targets> targets, List<Workload> workloads, Set<String> notOptedIn, boolean rollUnmarked,
      Set<String> readNextKey) {
    static Case of(List<Targets> targets, Workload... workloads) {
      return new Case(targets, List.of(workloads), Set.of(), true, null);
    }

    Case existingWithoutLabel(String kindAndName) {
      return new Case(targets, workloads, Set.of(kindAndName), rollUnmarked, readNextKey);
    }

    Case firstKey() {
      return new Case(targets, workloads, notOptedIn, false, readNextKey);
    }

    Case onlyTheseReadTheNextKey(String... names) {
      return new Case(targets, workloads, notOptedIn, rollUnmarked, Set.of(names));
    }

    RolloutAssessment assess() {
      List<RestartTarget> restart = JwtSecrets.named("app").restarts(targets.toArray(Targets[]::new)).build()
          .getSpec().restart.targets;
      return RolloutPlanner.assess(restart, workloads.stream().map(Workload::view).toList(), notOptedIn, ANNOTATION,
          KEY_SET, Map.of(), rollUnmarked, w -> readNextKey == null || readNextKey.contains(w.name()));
    }
  }

  static Stream<Arguments> assessments() {
    return Stream.of(
        argumentSet("a named target at the key set and rolled out: complete, nothing to patch",
            Case.of(List.of(Targets.deployment("backend")), deployment("backend", KEY_SET)),
            "complete patch=[] waiting=[]"),
        argumentSet("a named target at an older key set: patched, and the rotation waits for it",
            Case.of(List.of(Targets.deployment("backend")), deployment("backend", "k1")),
            "incomplete patch=[backend] waiting=[Deployment backend]"),
        argumentSet("a target never rolled, while the first key is current: nothing to roll",
            Case.of(List.of(Targets.deployment("backend")), deployment("backend", null)).firstKey(),
            "complete patch=[] waiting=[]"),
        argumentSet("a target never rolled, at a later stage: patched",
            Case.of(List.of(Targets.deployment("backend")), deployment("backend", null)),
            "incomplete patch=[backend] waiting=[Deployment backend]"),
        argumentSet("at the key set but its pods still rolling: waited for",
            Case.of(List.of(Targets.deployment("backend")), deployment("backend", KEY_SET).rolling()),
            "incomplete patch=[] waiting=[Deployment backend]"),
        argumentSet("waitForRollout false: rolled, but never holds the rotation",
            Case.of(List.of(Targets.deployment("backend").noWait()), deployment("backend", "k1")),
            "complete patch=[backend] waiting=[]"),
        argumentSet("one workload named by a target that waits and one that does not: waited for",
            Case.of(List.of(Targets.deployment("backend").noWait(), Targets.deployments().matchLabels(Map.of("app", "photoapp"))),
                deployment("backend", "k1")),
            "incomplete patch=[backend] waiting=[Deployment backend]"),
        argumentSet("OnDelete: reported as unsupported and holds the rotation, but not as waiting",
            Case.of(List.of(Targets.deployment("backend")), deployment("backend", KEY_SET).onDelete()),
            "incomplete patch=[] waiting=[] unsupported=[Deployment backend uses updateStrategy OnDelete]"),
        argumentSet("a named target that does not exist: missing, never holds the rotation",
            Case.of(List.of(Targets.deployment("not-there"))),
            "complete patch=[] waiting=[] missing=[Deployment not-there]"),
        argumentSet("a named target that exists without the opt-in label: not opted in, untouched",
            Case.of(List.of(Targets.deployment("legacy"))).existingWithoutLabel("Deployment/legacy"),
            "complete patch=[] waiting=[] notOptedIn=[Deployment legacy]"),
        argumentSet("a name of another kind does not match",
            Case.of(List.of(Targets.statefulSet("backend")), deployment("backend", "k1")),
            "complete patch=[] waiting=[] missing=[StatefulSet backend]"),
        argumentSet("a selector rolls every opted-in workload it matches",
            Case.of(List.of(Targets.deployments().matchLabels(Map.of("app", "photoapp"))),
                deployment("web", "k1"), deployment("api", "k1"), deployment("other", "k1").labels(Map.of("app", "other"))),
            "incomplete patch=[web, api] waiting=[Deployment web, Deployment api]"),
        argumentSet("a selector that matches nothing: missing",
            Case.of(List.of(Targets.deployments().matchLabels(Map.of("app", "nothing"))), deployment("web", "k1")),
            "complete patch=[] waiting=[] missing=[Deployment selector {app=nothing}]"),
        argumentSet("a workload that reads neither the next key nor the JWK set cannot benefit from publishing",
            Case.of(List.of(Targets.deployment("web"), Targets.deployment("api")), deployment("web", KEY_SET),
                deployment("api", KEY_SET)).onlyTheseReadTheNextKey("web"),
            "complete patch=[] waiting=[] cannotBenefit=[Deployment api]"));
  }

  @ParameterizedTest
  @MethodSource("assessments")
  void assesses(Case c, String expected) {
    assertThat(summary(c.assess())).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("assessments")
  void reportsEveryMatchedWorkloadWithTheKeySetItRuns(Case c, String ignored) {
    RolloutAssessment a = c.assess();
    assertThat(a.workloads()).allSatisfy(w -> {
      boolean patched = a.toPatch().stream().anyMatch(v -> v.name().equals(w.name));
      assertThat(w.keySet).as(w.name).isEqualTo(patched ? c.workloads().stream().filter(x -> x.name.equals(w.name))
          .findFirst().orElseThrow().marked : KEY_SET);
      assertThat(w.ready).as(w.name + " ready").isEqualTo(!patched && w.message == null);
    });
  }

  static Stream<Arguments> selectors() {
    Map<String, String> web = Map.of("app", "photoapp", "tier", "web");
    return Stream.of(
        argumentSet("matchLabels, all present", selector(Map.of("app", "photoapp"), null), web, true),
        argumentSet("matchLabels, one differs", selector(Map.of("app", "photoapp", "tier", "db"), null), web, false),
        argumentSet("In, value listed", selector(null, req("tier", SelectorOperator.In, "web", "api")), web, true),
        argumentSet("In, label absent", selector(null, req("zone", SelectorOperator.In, "a")), web, false),
        argumentSet("NotIn, label absent", selector(null, req("zone", SelectorOperator.NotIn, "a")), web, true),
        argumentSet("NotIn, value listed", selector(null, req("tier", SelectorOperator.NotIn, "web")), web, false),
        argumentSet("Exists", selector(null, req("tier", SelectorOperator.Exists)), web, true),
        argumentSet("DoesNotExist, present", selector(null, req("tier", SelectorOperator.DoesNotExist)), web, false),
        argumentSet("labels and expressions together, both hold",
            selector(Map.of("app", "photoapp"), req("tier", SelectorOperator.In, "web")), web, true),
        argumentSet("an empty selector matches nothing, never everything", new TargetSelector(), web, false),
        argumentSet("no selector matches nothing", null, web, false),
        argumentSet("an expression without an operator matches nothing", selector(null, req("tier", null)), web, false));
  }

  @ParameterizedTest
  @MethodSource("selectors")
  void selectsAsKubernetesDoes(TargetSelector selector, Map<String, String> labels, boolean matches) {
    assertThat(RolloutPlanner.matches(selector, labels)).isEqualTo(matches);
  }

  static TargetSelector selector(Map<String, String> labels, io.photoapp.jwt.api.SelectorRequirement requirement) {
    TargetSelector s = new TargetSelector();
    s.matchLabels = labels == null ? null : new LinkedHashMap<>(labels);
    s.matchExpressions = requirement == null ? null : List.of(requirement);
    return s;
  }

  static io.photoapp.jwt.api.SelectorRequirement req(String key, SelectorOperator operator, String... values) {
    var r = new io.photoapp.jwt.api.SelectorRequirement();
    r.key = key;
    r.operator = operator;
    r.values = values.length == 0 ? null : List.of(values);
    return r;
  }

  /** The decision in one line: what holds, what is rolled, what is waited for, and what is reported. */
  static String summary(RolloutAssessment a) {
    List<String> parts = new ArrayList<>();
    parts.add(a.complete() ? "complete" : "incomplete");
    parts.add("patch=" + a.toPatch().stream().map(WorkloadView::name).toList());
    parts.add("waiting=" + a.waiting());
    if (!a.unsupported().isEmpty()) {
      parts.add("unsupported=" + a.unsupported());
    }
    if (!a.missing().isEmpty()) {
      parts.add("missing=" + a.missing());
    }
    if (!a.notOptedIn().isEmpty()) {
      parts.add("notOptedIn=" + a.notOptedIn());
    }
    if (!a.cannotBenefit().isEmpty()) {
      parts.add("cannotBenefit=" + a.cannotBenefit());
    }
    return String.join(" ", parts);
  }
}
