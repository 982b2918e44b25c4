package io.photoapp.jwt.e2e;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.photoapp.jwt.api.JwtSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The cluster e2e/run started, and the operator running in it as the Helm chart's ServiceAccount.
 * Built once per test run (see {@link ClusterExtension}) and closed at its end.
 *
 * <p>Inputs: {@code -De2e.kubeconfig} (or {@code E2E_KUBECONFIG}): the admin kubeconfig written by
 * e2e/start-cluster.sh; {@code -De2e.workdir} (or {@code E2E_WORKDIR}): where logs and generated
 * files go (default: the kubeconfig's directory); {@code -De2e.kubectl} (or {@code E2E_KUBECTL}):
 * kubectl (default: the one e2e/build-k8s.sh built). Without a kubeconfig every E2E test fails: the
 * tier was asked for and there is no cluster to run it on.
 */
public final class E2ECluster implements AutoCloseable {
  public static final String OPERATOR_NAMESPACE = "jwt-system";
  public static final String RELEASE = "jwt-secret-operator";
  public static final Path CHART = Path.of("helm", "jwt-secret-operator");
  public static final Path JAR = Path.of("target", "jwt-secret-operator.jar");
  /** What the chart's RBAC consists of: everything in it but these is applied. */
  /** The chart's Deployment runs {@code run --leader-election} with the Lease in the release namespace. */
  static final List<String> RUN_FLAGS = List.of("--leader-election", "--lease-namespace", OPERATOR_NAMESPACE);
  static final Set<String> RBAC_KINDS = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  public final Path workDir;
  public final Path adminKubeconfig;
  public final KubernetesClient admin;
  public final Kubectl kubectl;
  /** kubeconfig of the chart's ServiceAccount (a TokenRequest token). */
  public final Path operatorKubeconfig;
  public final String serviceAccount;
  /** The operator replica the tests talk to (the leader); see {@link #promote}. */
  public volatile OperatorProcess operator;
  private final List<OperatorProcess> replicas = new java.util.concurrent.CopyOnWriteArrayList<>();

  private E2ECluster(Path workDir, Path adminKubeconfig, KubernetesClient admin, Kubectl kubectl, Path operatorKubeconfig,
      String serviceAccount, OperatorProcess operator) {
    this.workDir = workDir;
    this.adminKubeconfig = adminKubeconfig;
    this.admin = admin;
    this.kubectl = kubectl;
    this.operatorKubeconfig = operatorKubeconfig;
    this.serviceAccount = serviceAccount;
    this.operator = operator;
    replicas.add(operator);
  }

  static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value;
  }

  /** Applies the CRD and the chart's RBAC, and starts the operator as the chart's ServiceAccount. */
  static E2ECluster start() throws IOException {
    String kubeconfigSetting = setting("e2e.kubeconfig", "E2E_KUBECONFIG");
    if (kubeconfigSetting == null) {
      throw new IllegalStateException("The end-to-end tier needs a cluster and none was given: run e2e/run, which starts "
          + "one and passes -De2e.kubeconfig=WORKDIR/admin.kubeconfig (or set E2E_KUBECONFIG).");
    }
    Path kubeconfig = Path.of(kubeconfigSetting).toAbsolutePath();
    if (!Files.isRegularFile(kubeconfig)) {
      throw new IllegalStateException("e2e.kubeconfig " + kubeconfig + " does not exist; start the cluster with e2e/run");
    }
    String workDirSetting = setting("e2e.workdir", "E2E_WORKDIR");
    Path workDir = workDirSetting == null ? kubeconfig.getParent() : Path.of(workDirSetting).toAbsolutePath();
    Files.createDirectories(workDir);
    String kubectlSetting = setting("e2e.kubectl", "E2E_KUBECTL");
    Path kubectlBinary = kubectlSetting != null ? Path.of(kubectlSetting)
        : Path.of(System.getProperty("user.home"), ".cache", "jwt-secret-operator", "k8s-1.20", "bin", "kubectl");
    if (!Files.isExecutable(kubectlBinary)) {
      throw new IllegalStateException(kubectlBinary + " is missing: run e2e/build-k8s.sh (e2e/run does)");
    }
    Kubectl kubectl = new Kubectl(kubectlBinary, kubeconfig);
    Config adminConfig = Config.fromKubeconfig(Files.readString(kubeconfig));
    KubernetesClient admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    OperatorProcess operator = null;
    try {
      // The CRD, as a user installs it.
      kubectl.run("apply", "-f", "crds/").assertOk();
      kubectl.run("wait", "--for", "condition=established", "--timeout", "60s",
          "customresourcedefinition/jwtsecrets.jwt.photoapp.io").assertOk();

      // The chart's ServiceAccount and RBAC (default values: ClusterRole, leader election on).
      ensureNamespace(admin, OPERATOR_NAMESPACE);
      ChartAccount account = chartAccount(admin, kubectl, adminConfig, workDir, RELEASE, java.util.Map.of());
      String serviceAccount = account.serviceAccount();
      Path operatorKubeconfig = account.kubeconfig();
      Kubectl asOperator = kubectl.as(operatorKubeconfig);
      // The token is the ServiceAccount's, and it can do what the chart grants and no more.
      assertCanI(asOperator, "yes", "list", "secrets", "--all-namespaces");
      assertCanI(asOperator, "yes", "patch", "deployments.apps", "-n", "default");
      assertCanI(asOperator, "no", "delete", "secrets", "-n", "default");
      assertCanI(asOperator, "no", "create", "deployments.apps", "-n", "default");

      operator = OperatorProcess.start("operator-1", JAR, operatorKubeconfig, workDir, RUN_FLAGS);
      operator.awaitReady("leader", Duration.ofSeconds(90));
      System.out.println("[e2e] operator is leader; metrics on :" + operator.port());
      return new E2ECluster(workDir, kubeconfig, admin, kubectl, operatorKubeconfig, serviceAccount, operator);
    } catch (RuntimeException | IOException | Error e) {
      if (operator != null) {
        operator.close();
      }
      admin.close();
      throw e;
    }
  }

  private static void assertCanI(Kubectl kubectl, String expected, String... args) {
    List<String> all = new ArrayList<>(List.of("auth", "can-i"));
    all.addAll(List.of(args));
    Kubectl.Result r = kubectl.run(all.toArray(String[]::new));
    if (!r.out().trim().equals(expected)) {
      throw new AssertionError("as the operator's ServiceAccount, expected '" + expected + "' from " + r);
    }
  }

  /** A ServiceAccount of the chart, its RBAC applied, and a kubeconfig with its token. */
  public record ChartAccount(String serviceAccount, Path kubeconfig) {}

  /**
   * Renders the chart as release {@code release} with {@code values} (helm --set), applies its
   * ServiceAccount and RBAC in {@link #OPERATOR_NAMESPACE}, and writes a kubeconfig with a token of
   * that ServiceAccount: the operator then can do what the chart grants and no more.
   */
  static ChartAccount chartAccount(KubernetesClient admin, Kubectl kubectl, Config adminConfig, Path workDir, String release,
      java.util.Map<String, String> values) throws IOException {
    List<HasMetadata> rbac = chartRbac(release, values);
    String serviceAccount = serviceAccountOf(rbac);
    KubernetesSerialization serialization = new KubernetesSerialization();
    Path rbacFile = workDir.resolve(release + "-rbac.yaml");
    Files.writeString(rbacFile, String.join("\n", rbac.stream().map(o -> "---\n" + serialization.asYaml(o)).toList()));
    System.out.println("[e2e] applying the chart's " + rbac.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    kubectl.run("apply", "-f", rbacFile.toString()).assertOk();

    TokenRequest token = tokenRequest(admin, serviceAccount);
    Path kubeconfig = workDir.resolve(release + ".kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: e2e
            cluster:
              server: %s
              certificate-authority-data: %s
        users:
          - name: %s
            user:
              token: %s
        contexts:
          - name: operator
            context:
              cluster: e2e
              user: %s
              namespace: %s
        current-context: operator
        """.formatted(adminConfig.getMasterUrl().replaceAll("/$", ""), adminConfig.getCaCertData(), serviceAccount,
        token.getStatus().getToken(), serviceAccount, OPERATOR_NAMESPACE));
    return new ChartAccount(serviceAccount, kubeconfig);
  }

  /** The ServiceAccount and RBAC objects of the chart rendered as release {@code release} in {@link #OPERATOR_NAMESPACE}. */
  public static List<HasMetadata> chartRbac(String release, java.util.Map<String, String> values) {
    var template = new Helm(CHART).template().withName(release).withNamespace(OPERATOR_NAMESPACE);
    values.forEach(template::set);
    String rendered = template.call();
    List<HasMetadata> rbac = new ArrayList<>();
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      HasMetadata object = serialization.unmarshal(doc);
      if (RBAC_KINDS.contains(object.getKind())) {
        rbac.add(object);
      }
    }
    return rbac;
  }

  /** The name of the ServiceAccount among the chart's RBAC objects. */
  public static String serviceAccountOf(List<HasMetadata> rbac) {
    return rbac.stream().filter(o -> o.getKind().equals("ServiceAccount")).findFirst()
        .orElseThrow(() -> new AssertionError("the chart renders no ServiceAccount")).getMetadata().getName();
  }

  /** A token of the ServiceAccount in {@link #OPERATOR_NAMESPACE} for 6 hours (TokenRequest: kubectl 1.20 has no "create token"). */
  public static TokenRequest tokenRequest(KubernetesClient admin, String serviceAccount) {
    return admin.serviceAccounts().inNamespace(OPERATOR_NAMESPACE).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(6 * 3600L).endSpec().build());
  }

  /** The admin's client configuration, for {@link #chartAccount}. */
  Config adminConfig() {
    return admin.getConfiguration();
  }

  static void ensureNamespace(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }
  }

  /** Starts another replica of the operator (same ServiceAccount, same flags), as a second pod would. */
  public OperatorProcess startReplica(String name) throws IOException {
    OperatorProcess replica = OperatorProcess.start(name, JAR, operatorKubeconfig, workDir, RUN_FLAGS);
    replicas.add(replica);
    return replica;
  }

  /** Makes {@code replica} the operator the remaining tests check, once the previous one has gone. */
  public void promote(OperatorProcess replica) {
    operator = replica;
  }

  /** Creates the namespace unless it exists. */
  public void namespace(String name) {
    ensureNamespace(admin, name);
  }

  public JwtSecret jwtSecret(String namespace, String name) {
    return admin.resources(JwtSecret.class).inNamespace(namespace).withName(name).get();
  }

  public Secret secret(String namespace, String name) {
    return admin.secrets().inNamespace(namespace).withName(name).get();
  }

  /** {@code kubectl apply -n NS -f -} of a manifest; fails unless kubectl exits 0. */
  public Kubectl.Result apply(String namespace, String yaml) {
    return kubectl.runWithInput(yaml, "apply", "-n", namespace, "-f", "-").assertOk();
  }

  @Override
  public void close() {
    try {
      replicas.forEach(OperatorProcess::close);
    } finally {
      admin.close();
    }
  }
}
