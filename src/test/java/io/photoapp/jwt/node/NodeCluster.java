package io.photoapp.jwt.node;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.photoapp.jwt.e2e.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The node e2e/node/run brought up ({@code -Dnode.workdir}: its admin.kubeconfig and node.env), with
 * the images imported into its containerd and the operator installed from the chart as a pod.
 * Without a work dir every NodeIT fails: the tier was asked for and there is no node to run it on.
 */
final class NodeCluster implements AutoCloseable {
  static final String PAUSE_IMAGE = "localhost/jwt-e2e/pause:3.4.1";
  static final String APP_IMAGE = "localhost/jwt-e2e/photo-app:1";
  static final String OPERATOR_NAMESPACE = "jwt-system";
  static final String RELEASE = "jwt-secret-operator";
  static final Path CHART = Path.of("helm", "jwt-secret-operator");
  static final Path OPERATOR_IMAGE = Path.of("target", "jwt-secret-operator-image.tar");

  final Path workDir;
  final Path kubeconfig;
  final KubernetesClient admin;
  final Kubectl kubectl;
  final Map<String, String> env;

  private NodeCluster(Path workDir, Path kubeconfig, KubernetesClient admin, Kubectl kubectl, Map<String, String> env) {
    this.workDir = workDir;
    this.kubeconfig = kubeconfig;
    this.admin = admin;
    this.kubectl = kubectl;
    this.env = env;
  }

  static NodeCluster connect() throws IOException {
    String dir = System.getProperty("node.workdir", "");
    if (dir.isBlank() || dir.startsWith("${")) {
      throw new IllegalStateException("The node tier needs a node and none was given: run e2e/node/run, which brings one up "
          + "and passes -Dnode.workdir=WORKDIR.");
    }
    Path workDir = Path.of(dir).toAbsolutePath();
    Path kubeconfig = workDir.resolve("admin.kubeconfig");
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(workDir.resolve("node.env"))) {
      p.load(in);
    }
    Map<String, String> env = new HashMap<>();
    p.forEach((k, v) -> env.put((String) k, (String) v));
    Path kubectlBinary = Path.of(System.getProperty("node.kubectl",
        Path.of(System.getProperty("user.home"), ".cache", "jwt-secret-operator", "k8s-1.20", "bin", "kubectl").toString()));
    KubernetesClient admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    return new NodeCluster(workDir, kubeconfig, admin, new Kubectl(kubectlBinary, kubeconfig), env);
  }

  /** Builds the pause and photo app images and imports them, with the operator's, into the node's containerd. */
  void importImages(Path pauseBinary) throws Exception {
    Path images = Files.createDirectories(workDir.resolve("images"));
    NodeImages.pause(pauseBinary, PAUSE_IMAGE, images.resolve("pause.tar"));
    NodeImages.photoApp(OPERATOR_IMAGE, Path.of("target", "test-classes"), NodeImages.nimbusJar(), APP_IMAGE,
        images.resolve("photo-app-work"), images.resolve("photo-app.tar"));
    for (Path tar : List.of(images.resolve("pause.tar"), images.resolve("photo-app.tar"), OPERATOR_IMAGE)) {
      NodeImages.run("ctr", "-a", env.get("CONTAINERD_SOCKET"), "-n", "k8s.io", "images", "import", tar.toString());
    }
  }

  /** helm install of the chart, waiting until the operator's pod is ready; the image as image/build.sh named it. */
  Duration installOperator() {
    Instant t0 = Instant.now();
    new Helm(CHART).install().withName(RELEASE).withNamespace(OPERATOR_NAMESPACE).createNamespace().withKubeConfig(kubeconfig)
        .set("image.pullPolicy", "Never").waitReady().withTimeout(240).call();
    return Duration.between(t0, Instant.now());
  }

  /** The operator's ready pod that is not being deleted, if there is one now. */
  java.util.Optional<Pod> readyOperatorPod() {
    return admin.pods().inNamespace(OPERATOR_NAMESPACE).withLabel("app.kubernetes.io/instance", RELEASE).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .findFirst();
  }

  /** The operator's ready pod, waiting for one (at most {@code timeout}). */
  Pod operatorPod(Duration timeout) throws InterruptedException {
    PhotoAppStack.await("a ready operator pod in " + OPERATOR_NAMESPACE, timeout, () -> readyOperatorPod().isPresent());
    return readyOperatorPod().orElseThrow();
  }

  /** Resident memory of a pod's first container, from its memory cgroup (v1, the kubelet's cgroupfs layout). */
  static Memory memory(Pod pod) throws IOException {
    String uid = pod.getMetadata().getUid();
    String id = pod.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst("^[a-z]+://", "");
    String qos = pod.getStatus().getQosClass().toLowerCase(java.util.Locale.ROOT);
    Path base = Path.of("/sys/fs/cgroup/memory/kubepods");
    Path dir = (qos.equals("guaranteed") ? base : base.resolve(qos)).resolve("pod" + uid).resolve(id);
    Map<String, Long> stat = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("memory.stat"))) {
      String[] f = line.split(" ");
      stat.put(f[0], Long.parseLong(f[1]));
    }
    long usage = Long.parseLong(Files.readString(dir.resolve("memory.usage_in_bytes")).trim());
    long max = Long.parseLong(Files.readString(dir.resolve("memory.max_usage_in_bytes")).trim());
    return new Memory(stat.getOrDefault("total_rss", 0L) + stat.getOrDefault("total_mapped_file", 0L),
        usage - stat.getOrDefault("total_inactive_file", 0L), max);
  }

  /** Resident (anonymous + mapped file), working set (what the kubelet reports), and the cgroup's peak usage, in bytes. */
  record Memory(long resident, long workingSet, long peak) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d MiB resident, %d MiB working set, %d MiB peak", resident >> 20,
          workingSet >> 20, peak >> 20);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
