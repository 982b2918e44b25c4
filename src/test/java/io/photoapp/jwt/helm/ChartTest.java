package io.photoapp.jwt.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.photoapp.jwt.ops.ApiPermissions;
import io.photoapp.jwt.ops.ApiPermissions.Permission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lints and renders the Helm chart and holds its RBAC to {@link ApiPermissions}. */
class ChartTest {

  static final Path CHART = Path.of("helm", "jwt-secret-operator");
  static final Path TOP_LEVEL_CRDS = Path.of("crds");
  static final Path CHART_CRDS = CHART.resolve("files").resolve("crds");
  static final String RELEASE = "jwt-secret-operator";
  static final String NAMESPACE = "jwt-system";
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** The chart rendered with one set of values. */
  record Render(String yaml, List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " expected, got " + found.size());
      return found.get(0);
    }

    List<GenericKubernetesResource> ofKind(String kind) {
      return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    Deployment deployment() {
      return one(Deployment.class);
    }

    Container container() {
      List<Container> containers = deployment().getSpec().getTemplate().getSpec().getContainers();
      assertEquals(1, containers.size());
      return containers.get(0);
    }

    Map<String, EnvVar> env() {
      return container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    /** Every rule of every Role and ClusterRole, flattened to "group/resource:verb". */
    Set<String> grants() {
      return rules().flatMap(ChartTest::grants).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every rule of every Role and ClusterRole. */
    Stream<PolicyRule> rules() {
      return Stream.concat(all(Role.class).stream().map(Role::getRules), all(ClusterRole.class).stream().map(ClusterRole::getRules))
          .flatMap(List::stream);
    }
  }

  static Render defaults;
  static Render perNamespace;
  static Render everythingOn;
  static Render podMonitor;

  @BeforeAll
  static void render(@TempDir Path dir) throws IOException {
    defaults = render(dir, "defaults.yaml", "{}\n");
    perNamespace = render(dir, "per-namespace.yaml", """
        watchNamespaces: [team-a, team-b]
        """);
    everythingOn = render(dir, "everything-on.yaml", """
        watchNamespaces: [team-a, team-b]
        replicas: 2
        leaderElection:
          enabled: false
        serviceMonitor:
          enabled: true
        prometheusRule:
          enabled: true
        dashboard:
          enabled: true
        argoRollouts:
          enabled: true
        cacheSyncTimeout: 30m
        """);
  }

  static Render podMonitor(Path dir) throws IOException {
    if (podMonitor == null) {
      podMonitor = render(dir, "pod-monitor.yaml", "podMonitor: {enabled: true}\nprometheusRule: {enabled: true}\n");
    }
    return podMonitor;
  }

  static Render render(Path dir, String name, String values) throws IOException {
    Path file = Files.writeString(dir.resolve(name), values);
    String yaml = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file).call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      objects.add(SERIALIZATION.unmarshal(doc));
    }
    return new Render(yaml, objects);
  }

  static Stream<Named<Render>> renders() {
    return Stream.of(
        Named.of("default values", defaults),
        Named.of("watchNamespaces [team-a, team-b]", perNamespace),
        Named.of("two namespaces, 2 replicas, no leader election, monitoring on", everythingOn));
  }

  static Stream<String> grants(PolicyRule rule) {
    return rule.getApiGroups().stream()
        .flatMap(g -> rule.getResources().stream().flatMap(r -> rule.getVerbs().stream().map(v -> g + "/" + r + ":" + v)));
  }

  static Set<String> grants(Collection<Permission> permissions) {
    return permissions.stream()
        .flatMap(p -> p.verbs().stream().map(v -> p.apiGroup() + "/" + p.resource() + ":" + v))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> grants(List<PolicyRule> rules) {
    return rules.stream().flatMap(ChartTest::grants).collect(Collectors.toCollection(TreeSet::new));
  }

  @SafeVarargs
  static Set<String> union(List<Permission>... lists) {
    return grants(Stream.of(lists).flatMap(List::stream).toList());
  }

  // ---------------------------------------------------------------------------------------
  // Chart as a whole

  @Test
  void lintPassesInStrictMode() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
  }

  @Test
  void chartCarriesTheTopLevelCrdsByteForByte() throws IOException {
    Set<String> topNames = fileNames(TOP_LEVEL_CRDS);
    assertFalse(topNames.isEmpty(), "crds/ is empty");
    assertEquals(topNames, fileNames(CHART_CRDS), "helm/jwt-secret-operator/files/crds/ must hold the files of crds/");
    for (String name : topNames) {
      assertEquals(-1L, Files.mismatch(TOP_LEVEL_CRDS.resolve(name), CHART_CRDS.resolve(name)),
          () -> name + " differs: cp crds/" + name + " " + CHART_CRDS + "/");
    }
    // Helm installs a chart's crds/ folder once and never upgrades it; the templates would then
    // collide with what it installed.
    assertFalse(Files.exists(CHART.resolve("crds")), "the chart's CRDs live in files/crds/ (templates/crds.yaml), not crds/");
  }

  @Test
  void everyCrdIsATemplateKeptOnUninstallAndLabelledAsTheReleases() throws IOException {
    List<CustomResourceDefinition> rendered = defaults.all(CustomResourceDefinition.class);
    Set<String> names = new TreeSet<>();
    for (String file : fileNames(CHART_CRDS)) {
      CustomResourceDefinition expected = SERIALIZATION.unmarshal(Files.readString(CHART_CRDS.resolve(file)));
      names.add(expected.getMetadata().getName());
      CustomResourceDefinition crd = rendered.stream()
          .filter(c -> c.getMetadata().getName().equals(expected.getMetadata().getName())).findFirst()
          .orElseThrow(() -> new AssertionError(file + " is not rendered"));
      assertEquals(expected.getSpec(), crd.getSpec(), file + ": the template changes the CRD's spec");
      assertEquals("keep", crd.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
      assertEquals("Helm", crd.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    }
    assertTrue(names.contains("jwtsecrets.jwt.photoapp.io"), names::toString);
    assertEquals(names.size(), rendered.size());
  }

  @Test
  void crdsCanBeLeftToKubectlOrDeletedOnUninstall(@TempDir Path dir) throws IOException {
    assertTrue(render(dir, "no-crds.yaml", "crds: {enabled: false}\n").all(CustomResourceDefinition.class).isEmpty());
    List<CustomResourceDefinition> notKept = render(dir, "not-kept.yaml", "crds: {keep: false}\n")
        .all(CustomResourceDefinition.class);
    assertFalse(notKept.isEmpty());
    notKept.forEach(c -> assertTrue(c.getMetadata().getAnnotations() == null
        || !c.getMetadata().getAnnotations().containsKey("helm.sh/resource-policy")));
  }

  static Set<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  // ---------------------------------------------------------------------------------------
  // RBAC

  @ParameterizedTest
  @MethodSource("renders")
  void rbacHasNoWildcard(Render render) {
    render.rules().forEach(rule -> {
      for (List<String> field : nonNull(rule.getApiGroups(), rule.getResources(), rule.getVerbs(),
          rule.getResourceNames(), rule.getNonResourceURLs())) {
        assertFalse(field.stream().anyMatch(s -> s.contains("*")), () -> "wildcard in " + rule);
      }
      assertFalse(rule.getVerbs().isEmpty(), () -> "no verbs in " + rule);
      assertTrue(rule.getNonResourceURLs().isEmpty(), () -> "non-resource URLs in " + rule);
    });
    assertFalse(render.yaml().contains("'*'") || render.yaml().contains("\"*\""), "a quoted * in the rendered chart");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void rbacGrantsExactlyWhatApiPermissionsLists(Render render) {
    boolean leaderElection = render.deployment().getSpec().getTemplate().getSpec().getContainers().get(0)
        .getArgs().contains("--leader-election");
    Set<String> expected = leaderElection
        ? grants(ApiPermissions.ALL)
        : union(ApiPermissions.WATCHED_NAMESPACES, ApiPermissions.NAMESPACE_READ, ApiPermissions.CLUSTER_STORES);
    // Argo Rollouts only where the chart value enables them (everythingOn).
    if (render == everythingOn) {
      expected.addAll(grants(ApiPermissions.ARGO_ROLLOUTS));
    } else {
      assertTrue(render.grants().stream().noneMatch(g -> g.startsWith(ApiPermissions.ARGO + "/")));
    }
    Set<String> granted = render.grants();
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(granted);
    Set<String> extra = new TreeSet<>(granted);
    extra.removeAll(expected);
    assertEquals(expected, granted, () -> "the chart's RBAC (templates/_helpers.tpl) lacks " + missing
        + " and grants beyond ApiPermissions " + extra);
  }

  @Test
  void apiPermissionsAreTheUnionOfTheirSubsets() {
    assertEquals(grants(ApiPermissions.ALL),
        union(ApiPermissions.WATCHED_NAMESPACES, ApiPermissions.NAMESPACE_READ, ApiPermissions.CLUSTER_STORES,
            ApiPermissions.LEADER_ELECTION));
    assertTrue(ApiPermissions.ALL.stream().noneMatch(p -> p.verbs().isEmpty()));
  }

  @Test
  void allNamespacesModeUsesOneClusterRole() {
    ClusterRole clusterRole = defaults.one(ClusterRole.class);
    assertEquals(RELEASE, clusterRole.getMetadata().getName());
    assertEquals(union(ApiPermissions.WATCHED_NAMESPACES, ApiPermissions.NAMESPACE_READ, ApiPermissions.CLUSTER_STORES),
        grants(clusterRole.getRules()));
    assertTrue(clusterRole.getRules().stream().allMatch(r -> r.getResourceNames().isEmpty()));

    ClusterRoleBinding binding = defaults.one(ClusterRoleBinding.class);
    assertEquals("ClusterRole", binding.getRoleRef().getKind());
    assertEquals(RELEASE, binding.getRoleRef().getName());
    assertBindsOperatorServiceAccount(binding.getSubjects());

    // Only the leader-election Role is namespaced.
    assertEquals(List.of(RELEASE + "-leader-election"),
        defaults.all(Role.class).stream().map(r -> r.getMetadata().getName()).toList());
    assertTrue(defaults.all(RoleBinding.class).stream().allMatch(b -> NAMESPACE.equals(b.getMetadata().getNamespace())));
  }

  @ParameterizedTest
  @MethodSource("perNamespaceRenders")
  void perNamespaceModeUsesARoleInEachWatchedNamespace(Render render) {
    Set<String> watched = render == everythingOn ? union(ApiPermissions.WATCHED_NAMESPACES, ApiPermissions.ARGO_ROLLOUTS)
        : grants(ApiPermissions.WATCHED_NAMESPACES);
    for (String ns : List.of("team-a", "team-b")) {
      Role role = render.all(Role.class).stream()
          .filter(r -> ns.equals(r.getMetadata().getNamespace())).findFirst()
          .orElseThrow(() -> new AssertionError("no Role in " + ns));
      assertEquals(watched, grants(role.getRules()), "Role in " + ns);
      RoleBinding binding = render.all(RoleBinding.class).stream()
          .filter(b -> ns.equals(b.getMetadata().getNamespace())).findFirst()
          .orElseThrow(() -> new AssertionError("no RoleBinding in " + ns));
      assertEquals("Role", binding.getRoleRef().getKind());
      assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
      assertBindsOperatorServiceAccount(binding.getSubjects());
    }

    // One ClusterRole reads the two namespaces by name, nothing else; the other reads cluster stores.
    ClusterRole stores = render.all(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().endsWith("-cluster-stores")).findFirst().orElseThrow();
    assertEquals(grants(ApiPermissions.CLUSTER_STORES), grants(stores.getRules()));
    ClusterRole clusterRole = render.all(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().endsWith("-namespaces")).findFirst().orElseThrow();
    assertEquals(grants(ApiPermissions.NAMESPACE_READ), grants(clusterRole.getRules()));
    assertTrue(clusterRole.getRules().stream().allMatch(r -> r.getResourceNames().equals(List.of("team-a", "team-b"))),
        () -> "namespaces get must be limited to the watched namespaces: " + clusterRole.getRules());
    for (ClusterRoleBinding binding : render.all(ClusterRoleBinding.class)) {
      assertTrue(List.of(clusterRole.getMetadata().getName(), stores.getMetadata().getName())
          .contains(binding.getRoleRef().getName()));
      assertBindsOperatorServiceAccount(binding.getSubjects());
    }
    assertEquals(2, render.all(ClusterRoleBinding.class).size());
  }

  static Stream<Named<Render>> perNamespaceRenders() {
    return renders().filter(r -> r.getPayload() != defaults);
  }

  @Test
  void leaderElectionRoleCoversOnlyTheOperatorsLease() {
    for (Render render : List.of(defaults, perNamespace)) {
      Role role = render.all(Role.class).stream()
          .filter(r -> r.getMetadata().getName().endsWith("-leader-election")).findFirst().orElseThrow();
      assertEquals(NAMESPACE, role.getMetadata().getNamespace());
      assertEquals(grants(ApiPermissions.LEADER_ELECTION), grants(role.getRules()));
      // get, update and patch are limited to the Lease's name; create cannot be limited by RBAC.
      role.getRules().stream().filter(r -> !r.getVerbs().contains("create"))
          .forEach(r -> assertEquals(List.of("jwt-secret-operator"), r.getResourceNames()));
    }
    assertTrue(everythingOn.all(Role.class).stream().noneMatch(r -> r.getMetadata().getName().endsWith("-leader-election")));
  }

  static void assertBindsOperatorServiceAccount(List<Subject> subjects) {
    assertEquals(1, subjects.size());
    Subject subject = subjects.get(0);
    assertEquals("ServiceAccount", subject.getKind());
    assertEquals(RELEASE, subject.getName());
    assertEquals(NAMESPACE, subject.getNamespace());
  }

  @ParameterizedTest
  @MethodSource("renders")
  void deploymentRunsAsTheServiceAccount(Render render) {
    ServiceAccount account = render.one(ServiceAccount.class);
    assertEquals(RELEASE, account.getMetadata().getName());
    assertEquals(NAMESPACE, account.getMetadata().getNamespace());
    assertEquals(RELEASE, render.deployment().getSpec().getTemplate().getSpec().getServiceAccountName());
  }

  // ---------------------------------------------------------------------------------------
  // Deployment

  @ParameterizedTest
  @MethodSource("renders")
  void containerIsNonRootReadOnlyAndDropsEverything(Render render) {
    PodSpec pod = render.deployment().getSpec().getTemplate().getSpec();
    assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
    assertEquals(65532L, pod.getSecurityContext().getRunAsUser());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());

    SecurityContext sc = render.container().getSecurityContext();
    assertEquals(Boolean.TRUE, sc.getRunAsNonRoot());
    assertEquals(65532L, sc.getRunAsUser());
    assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
    assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
    assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());

    // The one writable place: an emptyDir at /tmp.
    var tmp = render.container().getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath())).findFirst().orElseThrow();
    var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
    assertNotNull(volume.getEmptyDir(), "/tmp must be an emptyDir");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void containerHasRequestsLimitsAndAJvmThatFollowsTheLimit(Render render) {
    var resources = render.container().getResources();
    assertEquals(new Quantity("100m"), resources.getRequests().get("cpu"));
    assertEquals(new Quantity("192Mi"), resources.getRequests().get("memory"));
    assertEquals(new Quantity("384Mi"), resources.getLimits().get("memory"));
    String javaOptions = render.env().get("JAVA_TOOL_OPTIONS").getValue();
    assertTrue(javaOptions.contains("-XX:MaxRAMPercentage=50"), javaOptions);
    assertTrue(javaOptions.contains("-XX:+ExitOnOutOfMemoryError"), javaOptions);
    assertFalse(javaOptions.contains("-Xmx"), "a fixed heap would ignore the container limit");
    // The footprint levers measured in bench/RESULTS.md (section 8), on the image's Java 25.
    assertTrue(javaOptions.contains("-XX:+UseSerialGC"), javaOptions);
    assertTrue(javaOptions.contains("-XX:+UseCompactObjectHeaders"), javaOptions);
    assertTrue(javaOptions.contains("-XX:MaxHeapFreeRatio=10"), javaOptions);
    // Issue #19, second round: the archive mapped without relocation (clean file pages, not 22 MiB of private
    // copies), each full collection shrinking the heap at once, two malloc arenas.
    assertTrue(javaOptions.contains("-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"), javaOptions);
    assertTrue(javaOptions.contains("-XX:-ShrinkHeapInSteps"), javaOptions);
    assertEquals("2", render.env().get("MALLOC_ARENA_MAX").getValue());
    // Round 5: glibc frees the stacks of ended threads (the SDK's start-up pool) instead of keeping them for new ones.
    assertEquals("glibc.pthread.stack_cache_size=0", render.env().get("GLIBC_TUNABLES").getValue());
    // Third round: duplicate strings held once (Serial deduplicates them since Java 18), C1 compiling later.
    assertTrue(javaOptions.contains("-XX:+UseStringDeduplication"), javaOptions);
    assertTrue(javaOptions.contains("-XX:CompileThresholdScaling=2"), javaOptions);
  }

  @Test
  void theChartRunsTheJvmWithTheArchiveTheImageRecords() {
    // The image builder takes its JAVA_TOOL_OPTIONS from values.yaml and records the archive they name with a
    // training run of the image's own JVM (ImageIT checks the image's env and that the JVM maps that archive).
    String chart = defaults.env().get("JAVA_TOOL_OPTIONS").getValue();
    assertTrue(chart.contains("-XX:SharedArchiveFile=" + io.photoapp.jwt.image.ImageBuilder.CDS_ARCHIVE), chart);
    assertFalse(chart.contains("-XX:ArchiveClassesAtExit"), "the pod must not rewrite the archive: " + chart);
  }

  @ParameterizedTest
  @MethodSource("renders")
  void probesUseHealthAndReadinessOnTheMetricsPort(Render render) {
    Container container = render.container();
    var port = container.getPorts().stream().filter(p -> "metrics".equals(p.getName())).findFirst().orElseThrow();
    assertEquals(8080, port.getContainerPort());
    assertProbe(container.getLivenessProbe(), "/healthz");
    assertProbe(container.getReadinessProbe(), "/readyz");
    assertProbe(container.getStartupProbe(), "/healthz");
  }

  static void assertProbe(Probe probe, String path) {
    assertNotNull(probe);
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals("metrics", probe.getHttpGet().getPort().getStrVal());
  }

  @ParameterizedTest
  @MethodSource("renders")
  void containerUsesTheImageEntrypointAndConfiguresByEnvironment(Render render) {
    Container container = render.container();
    assertEquals("ghcr.io/photoapp/jwt-secret-operator:0.1.0", container.getImage());
    assertEquals("IfNotPresent", container.getImagePullPolicy());
    assertTrue(container.getCommand() == null || container.getCommand().isEmpty(), "the image's entrypoint runs the jar");
    assertEquals("run", container.getArgs().get(0));

    Map<String, EnvVar> env = render.env();
    assertEquals("metadata.namespace", env.get("JWT_OPERATOR_LEASE_NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
    assertEquals("json", env.get("JWT_OPERATOR_LOG_FORMAT").getValue());
    assertEquals("jwt-secret-operator", env.get("JWT_OPERATOR_FIELD_MANAGER").getValue());
    assertEquals("jwt-secret-operator", env.get("JWT_OPERATOR_LEASE_NAME").getValue());
  }

  @Test
  void defaultsRunOneReplicaWithLeaderElectionOverAllNamespaces() {
    assertEquals(1, defaults.deployment().getSpec().getReplicas());
    assertEquals(List.of("run", "--leader-election"), defaults.container().getArgs());
    assertNull(defaults.env().get("JWT_OPERATOR_NAMESPACES"), "no namespace list means all namespaces");
    assertEquals("10m", defaults.env().get("JWT_OPERATOR_CACHE_SYNC_TIMEOUT").getValue(), "the run command's own default");
  }

  @Test
  void valuesSetReplicasLeaderElectionAndNamespaces() {
    assertEquals(2, everythingOn.deployment().getSpec().getReplicas());
    assertEquals(List.of("run"), everythingOn.container().getArgs());
    assertEquals("team-a,team-b", everythingOn.env().get("JWT_OPERATOR_NAMESPACES").getValue());
    assertEquals("30m", everythingOn.env().get("JWT_OPERATOR_CACHE_SYNC_TIMEOUT").getValue());
    assertEquals("team-a,team-b", perNamespace.env().get("JWT_OPERATOR_NAMESPACES").getValue());
    assertEquals(List.of("run", "--leader-election"), perNamespace.container().getArgs());
  }

  @Test
  void aDisruptionBudgetComesWithMoreThanOneReplicaOnly(@TempDir Path dir) throws IOException {
    assertTrue(defaults.all(PodDisruptionBudget.class).isEmpty(), "a PDB over one replica blocks every drain");
    PodDisruptionBudget pdb = everythingOn.one(PodDisruptionBudget.class);
    assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
    assertNull(pdb.getSpec().getMaxUnavailable());
    assertEquals(everythingOn.deployment().getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
    PodDisruptionBudget max = render(dir, "pdb.yaml", "replicas: 3\npodDisruptionBudget: {maxUnavailable: 1}\n")
        .one(PodDisruptionBudget.class);
    assertEquals(1, max.getSpec().getMaxUnavailable().getIntVal());
    assertNull(max.getSpec().getMinAvailable());
    assertTrue(render(dir, "no-pdb.yaml", "replicas: 3\npodDisruptionBudget: {enabled: false}\n")
        .all(PodDisruptionBudget.class).isEmpty());
  }

  @Test
  void valuesAddVolumesSchedulingAndExtraObjects(@TempDir Path dir) throws IOException {
    Render render = render(dir, "pod.yaml", """
        revisionHistoryLimit: 3
        priorityClassName: system-cluster-critical
        topologySpreadConstraints:
          - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
        volumes:
          - name: ca
            configMap: {name: corporate-ca}
        volumeMounts:
          - {name: ca, mountPath: /etc/ssl/corporate, readOnly: true}
        extraObjects:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: '{{ .Release.Name }}-extra', namespace: '{{ .Release.Namespace }}'}
            data: {a: b}
          - |
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-extra-string
              namespace: {{ .Release.Namespace }}
        """);
    Deployment deployment = render.deployment();
    assertEquals(3, deployment.getSpec().getRevisionHistoryLimit());
    assertEquals(10, defaults.deployment().getSpec().getRevisionHistoryLimit());
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertEquals("system-cluster-critical", pod.getPriorityClassName());
    assertEquals("topology.kubernetes.io/zone", pod.getTopologySpreadConstraints().get(0).getTopologyKey());
    assertEquals(List.of("tmp", "ca"), pod.getVolumes().stream().map(v -> v.getName()).toList());
    assertEquals(List.of("/tmp", "/etc/ssl/corporate"), render.container().getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
    assertEquals(Set.of(RELEASE + "-extra", RELEASE + "-extra-string"),
        render.all(ConfigMap.class).stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet()));
  }

  @Test
  void schemaRefusesANamespaceStringWhereAListBelongs(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "watchNamespaces: team-a\n");
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file).call());
    assertTrue(refused.getMessage().contains("watchNamespaces"), refused.getMessage());
  }

  // ---------------------------------------------------------------------------------------
  // Metrics and monitoring

  @ParameterizedTest
  @MethodSource("renders")
  void serviceExposesTheMetricsPort(Render render) {
    Service service = render.one(Service.class);
    assertEquals(NAMESPACE, service.getMetadata().getNamespace());
    assertEquals(render.deployment().getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
    var port = service.getSpec().getPorts().get(0);
    assertEquals("metrics", port.getName());
    assertEquals(8080, port.getPort());
    assertEquals("metrics", port.getTargetPort().getStrVal());
  }

  @Test
  void monitoringIsOffByDefault() {
    assertTrue(defaults.ofKind("ServiceMonitor").isEmpty());
    assertTrue(defaults.ofKind("PodMonitor").isEmpty());
    assertTrue(defaults.ofKind("PrometheusRule").isEmpty());
    assertTrue(defaults.all(ConfigMap.class).isEmpty());
  }

  @Test
  void serviceMonitorScrapesTheMetricsService() {
    GenericKubernetesResource monitor = everythingOn.ofKind("ServiceMonitor").get(0);
    assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
    Map<String, Object> selector = monitor.get("spec", "selector", "matchLabels");
    assertTrue(everythingOn.one(Service.class).getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
        "the ServiceMonitor does not select the metrics Service");
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertEquals("metrics", endpoints.get(0).get("port"));
    assertEquals("/metrics", endpoints.get(0).get("path"));
  }

  @Test
  void monitorsKeepTheOperatorsNamespaceLabelSoAlertsNameTheJwtSecretsNamespace(@TempDir Path dir) throws IOException {
    // Without honorLabels, Prometheus' target label namespace=jwt-system wins and the operator's
    // namespace label becomes exported_namespace (cert-manager#4608).
    Map<String, Object> service = everythingOn.ofKind("ServiceMonitor").get(0).<List<Map<String, Object>>>get("spec", "endpoints").get(0);
    Map<String, Object> pod = podMonitor(dir).ofKind("PodMonitor").get(0).<List<Map<String, Object>>>get("spec", "podMetricsEndpoints").get(0);
    for (Map<String, Object> endpoint : List.of(service, pod)) {
      assertEquals(Boolean.TRUE, endpoint.get("honorLabels"), endpoint::toString);
      assertEquals("30s", endpoint.get("interval"));
      assertEquals("10s", endpoint.get("scrapeTimeout"));
      assertNull(endpoint.get("relabelings"));
      assertNull(endpoint.get("metricRelabelings"));
    }
  }

  @Test
  void podMonitorSelectsTheOperatorsPods(@TempDir Path dir) throws IOException {
    Render render = podMonitor(dir);
    GenericKubernetesResource monitor = render.ofKind("PodMonitor").get(0);
    assertEquals(NAMESPACE, monitor.getMetadata().getNamespace());
    assertTrue(render.ofKind("ServiceMonitor").isEmpty());
    assertEquals(render.deployment().getSpec().getSelector().getMatchLabels(), monitor.get("spec", "selector", "matchLabels"));
    assertEquals("metrics", monitor.<List<Map<String, Object>>>get("spec", "podMetricsEndpoints").get(0).get("port"));
  }

  @Test
  void monitorsTakeRelabelingsIntervalsAndHonorLabelsFromValues(@TempDir Path dir) throws IOException {
    String monitor = """
          enabled: true
          honorLabels: false
          interval: 1m
          scrapeTimeout: 20s
          labels: {release: kube-prometheus-stack}
          relabelings:
            - {action: replace, targetLabel: cluster, replacement: eu-1}
          metricRelabelings:
            - {action: drop, sourceLabels: [__name__], regex: jvm_.*}
        """;
    Render services = render(dir, "service-monitor.yaml", "serviceMonitor:\n" + monitor);
    Render pods = render(dir, "pod-monitor-values.yaml", "podMonitor:\n" + monitor);
    for (var entry : Map.of("ServiceMonitor", "endpoints", "PodMonitor", "podMetricsEndpoints").entrySet()) {
      Render render = entry.getKey().equals("ServiceMonitor") ? services : pods;
      GenericKubernetesResource resource = render.ofKind(entry.getKey()).get(0);
      assertEquals("kube-prometheus-stack", resource.getMetadata().getLabels().get("release"));
      Map<String, Object> endpoint = resource.<List<Map<String, Object>>>get("spec", entry.getValue()).get(0);
      assertEquals(Boolean.FALSE, endpoint.get("honorLabels"));
      assertEquals("1m", endpoint.get("interval"));
      assertEquals("20s", endpoint.get("scrapeTimeout"));
      assertEquals(List.of(Map.of("action", "replace", "targetLabel", "cluster", "replacement", "eu-1")), endpoint.get("relabelings"));
      assertEquals(List.of(Map.of("action", "drop", "sourceLabels", List.of("__name__"), "regex", "jvm_.*")),
          endpoint.get("metricRelabelings"));
    }
  }

  @Test
  void prometheusRuleAlertsOnOverdueNotReadyViolationsFailuresHeldRotationsPushesAndAbsence() {
    Map<String, Map<String, Object>> alerts = alerts(everythingOn);
    assertEquals(Set.of("JwtSecretRotationOverdue", "JwtSecretNotReady", "JwtSecretPolicyViolation", "JwtSecretReconcileFailing",
        "JwtSecretRotationHeld", "JwtSecretAwaitingApproval", "JwtSecretPushFailing", "JwtSecretOperatorAbsent", "JwtSecretWorkloadFinding"),
        alerts.keySet());
    assertEquals("jwtsecret_workload_findings{rule!=\"UnmanagedKeySource\"} > 0", alerts.get("JwtSecretWorkloadFinding").get("expr"));
    assertEquals("max by (namespace, name) (jwtsecret_awaiting_approval) == 1", alerts.get("JwtSecretAwaitingApproval").get("expr"));
    assertEquals("time() > jwtsecret_next_rotation_timestamp_seconds + 3600", alerts.get("JwtSecretRotationOverdue").get("expr"));
    assertEquals("jwtsecret_ready == 0", alerts.get("JwtSecretNotReady").get("expr"));
    assertEquals("10m", alerts.get("JwtSecretNotReady").get("for"));
    assertEquals("jwtsecret_policy_violations > 0", alerts.get("JwtSecretPolicyViolation").get("expr"));
    assertEquals("increase(jwtsecret_rotation_failures_total[1h]) > 0", alerts.get("JwtSecretReconcileFailing").get("expr"));
    assertEquals("max by (namespace, name) (jwtsecret_rollout_complete) == 0", alerts.get("JwtSecretRotationHeld").get("expr"));
    assertEquals("30m", alerts.get("JwtSecretRotationHeld").get("for"));
    assertEquals("sum by (namespace, name, target) (increase(jwtsecret_push_failures_total[15m])) > 0",
        alerts.get("JwtSecretPushFailing").get("expr"));
    // The job label of a ServiceMonitor's targets is the Service's name.
    assertEquals("absent(up{job=\"jwt-secret-operator-metrics\", namespace=\"jwt-system\"} == 1)",
        alerts.get("JwtSecretOperatorAbsent").get("expr"));
    // A workload finding is counted per namespace and rule: it names those, not a JwtSecret.
    @SuppressWarnings("unchecked")
    String workload = ((Map<String, String>) alerts.get("JwtSecretWorkloadFinding").get("annotations")).get("description");
    assertTrue(workload.contains("{{ $labels.rule }}") && workload.contains("{{ $labels.namespace }}"), workload);
    alerts.entrySet().stream().filter(a -> !Set.of("JwtSecretOperatorAbsent", "JwtSecretWorkloadFinding").contains(a.getKey()))
        .forEach(a -> {
      @SuppressWarnings("unchecked")
      String description = ((Map<String, String>) a.getValue().get("annotations")).get("description");
      assertTrue(description.contains("{{ $labels.namespace }}/{{ $labels.name }}"), description);
    });
  }

  @Test
  void absenceAlertFollowsThePodMonitorsJobLabel(@TempDir Path dir) throws IOException {
    assertEquals("absent(up{job=\"jwt-system/jwt-secret-operator\", namespace=\"jwt-system\"} == 1)",
        alerts(podMonitor(dir)).get("JwtSecretOperatorAbsent").get("expr"));
  }

  @Test
  void aServiceMonitorAndAPodMonitorTogetherAreRefused(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("both.yaml"), "serviceMonitor: {enabled: true}\npodMonitor: {enabled: true}\n");
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file).call());
    assertTrue(refused.getMessage().contains("enable one of them"), refused.getMessage());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> alerts(Render render) {
    GenericKubernetesResource rule = render.ofKind("PrometheusRule").get(0);
    assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
    List<Map<String, Object>> groups = rule.get("spec", "groups");
    return groups.stream()
        .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
        .collect(Collectors.toMap(r -> (String) r.get("alert"), Function.identity()));
  }

  @Test
  void dashboardShowsKeysRotationsRolloutsAndViolations() throws IOException {
    ConfigMap configMap = everythingOn.one(ConfigMap.class);
    assertEquals("1", configMap.getMetadata().getLabels().get("grafana_dashboard"));
    JsonNode dashboard = new ObjectMapper().readTree(configMap.getData().get("jwt-secret-operator.json"));
    assertEquals("jwt-secret-operator", dashboard.get("uid").asText());
    String queries = dashboard.findValues("expr").stream().map(JsonNode::asText).collect(Collectors.joining("\n"));
    for (String metric : List.of("jwtsecret_key_age_seconds", "jwtsecret_next_rotation_timestamp_seconds",
        "jwtsecret_rotations_total", "jwtsecret_workload_restarts_total", "jwtsecret_policy_violations",
        "jwtsecret_rotation_failures_total", "jwtsecret_ready", "jwtsecret_push_failures_total", "jwtsecret_phase",
        "jwtsecret_rollout_complete")) {
      assertTrue(queries.contains(metric), () -> "dashboard does not query " + metric);
    }
    assertTrue(queries.contains("sum by (reason)"), "rotations by reason");
    // Panel ids are unique, or Grafana drops panels.
    List<String> ids = new ArrayList<>();
    dashboard.get("panels").forEach(panel -> ids.add(panel.get("id").asText()));
    assertEquals(Set.copyOf(ids).size(), ids.size());
  }

  // Network policy

  @ParameterizedTest
  @MethodSource("renders")
  void aNetworkPolicyIsOnByDefaultAndSelectsTheOperatorPods(Render render) {
    NetworkPolicy policy = render.one(NetworkPolicy.class);
    assertEquals(NAMESPACE, policy.getMetadata().getNamespace());
    assertEquals(render.deployment().getSpec().getSelector().getMatchLabels(), policy.getSpec().getPodSelector().getMatchLabels());
    assertTrue(render.deployment().getSpec().getTemplate().getMetadata().getLabels().entrySet()
        .containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet()), "the pods carry the selected labels");
    assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes(), "egress (API server, stores) stays open");
    assertTrue(policy.getSpec().getEgress() == null || policy.getSpec().getEgress().isEmpty());
  }

  @Test
  void theMetricsPortAdmitsOnlyTheMonitoringNamespaceByDefault() {
    NetworkPolicy policy = defaults.one(NetworkPolicy.class);
    assertEquals(1, policy.getSpec().getIngress().size(), "one rule: the metrics port, from the monitoring namespace");
    NetworkPolicyIngressRule rule = policy.getSpec().getIngress().get(0);
    assertEquals(1, rule.getFrom().size());
    NetworkPolicyPeer peer = rule.getFrom().get(0);
    assertEquals(Map.of("kubernetes.io/metadata.name", "monitoring"), peer.getNamespaceSelector().getMatchLabels());
    assertNull(peer.getPodSelector());
    assertNull(peer.getIpBlock());
    assertEquals(1, rule.getPorts().size());
    assertEquals("metrics", rule.getPorts().get(0).getPort().getStrVal());
    assertEquals("TCP", rule.getPorts().get(0).getProtocol());
    // The named port is the container's, which serves /metrics, /healthz and /readyz.
    assertTrue(defaults.container().getPorts().stream().anyMatch(p -> "metrics".equals(p.getName())));
  }

  @Test
  void theMetricsSelectorsAndTheHealthBlocksAreValues(@TempDir Path dir) throws IOException {
    NetworkPolicy policy = render(dir, "network-policy.yaml", """
        networkPolicy:
          metricsNamespaceSelector:
            matchLabels: {team: observability}
          metricsPodSelector:
            matchLabels: {app.kubernetes.io/name: prometheus}
          healthFrom:
            - cidr: 10.0.0.0/16
        """).one(NetworkPolicy.class);
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    assertEquals(2, rules.size());
    NetworkPolicyPeer scraper = rules.get(0).getFrom().get(0);
    assertEquals(1, rules.get(0).getFrom().size(), "namespace and pod selectors in one peer: both must match");
    assertEquals(Map.of("team", "observability"), scraper.getNamespaceSelector().getMatchLabels());
    assertEquals(Map.of("app.kubernetes.io/name", "prometheus"), scraper.getPodSelector().getMatchLabels());
    assertEquals("10.0.0.0/16", rules.get(1).getFrom().get(0).getIpBlock().getCidr());
    assertEquals("metrics", rules.get(1).getPorts().get(0).getPort().getStrVal());
  }

  @Test
  void theNetworkPolicyIsOffByValue(@TempDir Path dir) throws IOException {
    assertTrue(render(dir, "no-network-policy.yaml", """
        networkPolicy:
          enabled: false
        """).all(NetworkPolicy.class).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("renders")
  void everyNamespacedObjectHasANamespace(Render render) {
    Set<String> clusterScoped = Set.of("ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");
    render.objects().stream()
        .filter(o -> !clusterScoped.contains(o.getKind()))
        .forEach(o -> assertNotNull(o.getMetadata().getNamespace(), () -> o.getKind() + " " + o.getMetadata().getName()));
    assertTrue(render.objects().stream().map(HasMetadata::getKind).noneMatch(Objects::isNull));
  }

  @SafeVarargs
  static List<List<String>> nonNull(List<String>... lists) {
    return Stream.of(lists).map(l -> l == null ? List.<String>of() : l).toList();
  }
}
