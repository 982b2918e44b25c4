package io.photoapp.jwt.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.node.PhotoAppStack.App;
import io.photoapp.jwt.node.PhotoAppStack.Reads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The promise at the heart of the operator, checked on a real node (e2e/node/run): the operator runs
 * as a pod from its chart, the photo app stand-in runs as real pods behind Services, and a load driver
 * logs in and calls {@code /api} with tokens from other pods throughout each rotation, counting every
 * token refused before it expired. The figures go to {@code target/node-figures.md} (README, "Zero
 * logouts, measured on a real node").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZeroLogoutNodeIT {
  static final int LOGINS_PER_SECOND = 4;
  static final int CALLS_PER_SECOND = 20;
  static NodeCluster node;
  static final NodeFigures figures = new NodeFigures();

  @BeforeAll
  static void operatorFromTheChart() throws Exception {
    node = NodeCluster.connect();
    Path pause = Path.of(System.getProperty("node.pause",
        Path.of(System.getProperty("user.home"), ".cache", "jwt-secret-operator", "k8s-1.20", "bin", "pause").toString()));
    node.importImages(pause);
    Duration install = node.installOperator();
    Pod pod = node.operatorPod(Duration.ofMinutes(1));
    // The chart's pod as it runs: non-root, read-only root, its own ServiceAccount.
    var sc = pod.getSpec().getContainers().get(0).getSecurityContext();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(NodeCluster.RELEASE);
    Thread.sleep(10_000); // past start-up, idle
    NodeCluster.Memory idle = NodeCluster.memory(node.operatorPod(Duration.ofMinutes(2)));
    figures.note(String.format(Locale.ROOT, "`helm install --wait` of the chart: operator pod ready in %d s; its memory cgroup, idle: %s.",
        install.toSeconds(), idle));
    System.out.println("[node] operator installed in " + install.toSeconds() + " s; " + idle);
  }

  @AfterAll
  static void close() {
    if (node != null) {
      node.close();
    }
  }

  /** What one scenario measured. */
  record Outcome(LoadDriver.Report traffic, String oldKid, String newKid, Instant triggered, Instant settled, RotationWatch watch,
      int rotationsBefore) {}

  static PhotoAppStack hmacApp(String namespace, String strategy) {
    return new PhotoAppStack(node, namespace, "HS256", strategy, List.of(new App("photoapp", 3, Reads.HMAC_ENV_AND_JWKS)));
  }

  /**
   * Deploys the stack, starts traffic, lets {@code trigger} start a rotation, and keeps the traffic up
   * until {@code untilIdle} (the whole rotation, back to Idle) or the first stage's rollout finished.
   */
  static Outcome rotateUnderTraffic(PhotoAppStack stack, String loginService, String apiService, Consumer<PhotoAppStack> trigger,
      boolean untilIdle, Consumer<RotationWatch> during) throws Exception {
    stack.deploy();
    try (RotationWatch watch = new RotationWatch(stack);
         LoadDriver driver = new LoadDriver(stack.service(loginService), stack.service(apiService), Clock.systemUTC(),
             Duration.ofMinutes(15), 100_000)) {
      PhotoAppStack.await("the watch's first look", Duration.ofSeconds(20), () -> watch.keyId() != null);
      int before = watch.rotationCount();
      String oldKid = watch.keyId();
      driver.start(LOGINS_PER_SECOND, CALLS_PER_SECOND);
      driver.awaitTokens(10, Duration.ofSeconds(60));
      Thread.sleep(3000);
      Instant triggered = Instant.now();
      trigger.accept(stack);
      during.accept(watch);
      PhotoAppStack.await("a rotation", Duration.ofMinutes(2), () -> watch.rotationCount() > before);
      Instant settled;
      if (untilIdle) {
        PhotoAppStack.await("back to Idle", Duration.ofMinutes(8), () -> watch.rotationCount() > before
            && watch.phases.get(watch.phases.size() - 1).phase().equals("Idle"));
        stack.awaitSettled(Duration.ofMinutes(5));
        settled = Instant.now();
      } else {
        PhotoAppStack.await("the first stage rolled out", Duration.ofMinutes(5), () -> watch.settled.stream().anyMatch(t -> t.isAfter(triggered)));
        settled = watch.settled.stream().filter(t -> t.isAfter(triggered)).findFirst().orElseThrow();
      }
      Thread.sleep(8000); // traffic past the end
      LoadDriver.Report report = driver.stop();
      System.out.println("[node] " + stack.namespace + ": " + report + "\n  stages: " + watch.stages(triggered));
      return new Outcome(report, oldKid, watch.keyId(), triggered, settled, watch, before);
    }
  }

  static String seconds(Instant from, Instant to) {
    return String.format(Locale.ROOT, "%.1f s", Duration.between(from, to).toMillis() / 1000.0);
  }

  @Test
  @Order(1)
  void aStagedRotationUnderTrafficLogsNobodyOut() throws Exception {
    PhotoAppStack stack = hmacApp("node-staged", "Staged");
    Outcome o = rotateUnderTraffic(stack, "photoapp", "photoapp", s -> s.patchRotation("rotateAfter", Instant.now()), true, w -> {});
    figures.row("staged rotation, HS256, 3 replicas (env + `jwks-secret.json`)", "**0** rejected", o.traffic(),
        "**" + o.traffic().rejectedUnexpired() + "**", o.watch().stages(o.triggered()) + "; " + seconds(o.triggered(), o.settled()) + " in all");
    assertThat(o.traffic().rejectedUnexpired()).as("unexpired tokens refused: %s", o.traffic()).isZero();
    assertThat(o.watch().rotationCount()).isEqualTo(o.rotationsBefore() + 1);
    assertThat(o.newKid()).isNotEqualTo(o.oldKid());
    assertThat(o.traffic().kids().get(o.newKid()).accepted.get()).as("tokens of the new key accepted").isPositive();
    assertThat(o.traffic().crossPod()).as("tokens verified by another pod than their signer").isPositive();
    // The chart's RBAC is enough: through a whole rotation the operator was refused no API call. (Checked
    // here, before any namespace is deleted: a namespace being deleted refuses new objects with 403 too.)
    Pod operator = node.operatorPod(Duration.ofMinutes(1));
    String log = node.kubectl.run("-n", NodeCluster.OPERATOR_NAMESPACE, "logs", operator.getMetadata().getName()).assertOk().out();
    assertThat(log.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains("forbidden")).toList()).as("forbidden in the operator's log")
        .isEmpty();
    stack.delete();
  }

  @Test
  @Order(2)
  void theSameWithStrategyDirectIsTheControl() throws Exception {
    PhotoAppStack stack = hmacApp("node-direct", "Direct");
    Outcome o = rotateUnderTraffic(stack, "photoapp", "photoapp", s -> s.patchRotation("rotateAfter", Instant.now()), false, w -> {});
    figures.row("the same with `strategy: Direct` (the control)", "the rejected count", o.traffic(),
        o.traffic().rejectedUnexpired() + " (tokens of the new key at pods that had only the old one)",
        o.watch().stages(o.triggered()) + "; switch rolled out in " + seconds(o.triggered(), o.settled()));
    // Reported, not asserted: how many depends on how the Service spreads calls while old and new pods overlap.
    if (o.traffic().rejectedUnexpired() == 0) {
      System.out.println("[node] WARNING: strategy Direct refused no token this time");
    }
    stack.delete();
  }

  @Test
  @Order(3)
  void anEmergencyRejectsEveryOldTokenOnceRolledOutAndNewLoginsWork() throws Exception {
    PhotoAppStack stack = hmacApp("node-emergency", "Staged");
    Outcome o = rotateUnderTraffic(stack, "photoapp", "photoapp", s -> s.patchRotation("invalidateBefore", Instant.now()), false, w -> {});
    LoadDriver.KidStats old = o.traffic().kids().get(o.oldKid());
    LoadDriver.KidStats fresh = o.traffic().kids().get(o.newKid());
    assertThat(o.newKid()).isNotEqualTo(o.oldKid());
    assertThat(fresh).as("logins with the new key").isNotNull();
    assertThat(fresh.accepted.get()).as("new tokens accepted").isPositive();
    // Old tokens work until the pods that hold the old key are gone; kube-proxy drops a terminating pod
    // from the Service within about a second (its minimum sync period), hence the allowance.
    assertThat(old.lastAcceptedRequestStart).as("an old token accepted after the rollout completed")
        .isBefore(o.settled().plusSeconds(2));
    long oldAfter = o.traffic().rejections().stream().filter(r -> r.kid().equals(o.oldKid())).count();
    assertThat(oldAfter).as("old tokens refused").isPositive();
    figures.row("emergency (`invalidateBefore`)", "old tokens rejected once rolled out; new logins work", o.traffic(),
        o.traffic().rejectedUnexpired() + " (old tokens, as asked)",
        "old tokens kept working " + seconds(o.triggered(), old.lastAccepted) + " after the request; rollout complete after "
            + seconds(o.triggered(), o.settled()) + "; " + fresh.issued.get() + " logins with the new key, "
            + fresh.accepted.get() + " of its tokens accepted");
    stack.delete();
  }

  @Test
  @Order(4)
  void es256SignersAndVerifiersReadingThePublicKeysLogNobodyOut() throws Exception {
    PhotoAppStack stack = new PhotoAppStack(node, "node-es256", "ES256", "Staged",
        List.of(new App("signer", 2, Reads.SECRET_JWKS), new App("verifier", 2, Reads.PUBLIC_JWKS)));
    Outcome o = rotateUnderTraffic(stack, "signer", "verifier", s -> s.patchRotation("rotateAfter", Instant.now()), true, w -> {});
    figures.row("staged rotation, ES256: 2 signer pods (Secret), 2 verifier pods (public-keys ConfigMap)", "**0** rejected",
        o.traffic(), "**" + o.traffic().rejectedUnexpired() + "**",
        o.watch().stages(o.triggered()) + "; " + seconds(o.triggered(), o.settled()) + " in all");
    assertThat(o.traffic().rejectedUnexpired()).as("unexpired tokens refused: %s", o.traffic()).isZero();
    assertThat(o.traffic().kids().get(o.newKid()).accepted.get()).as("tokens of the new key accepted by verifiers").isPositive();
    stack.delete();
  }

  @Test
  @Order(5)
  void theOperatorPodKilledMidRotationResumesWithOneRotationAndNoLogout() throws Exception {
    PhotoAppStack stack = hmacApp("node-kill", "Staged");
    String[] killed = new String[2];
    Outcome o = rotateUnderTraffic(stack, "photoapp", "photoapp", s -> s.patchRotation("rotateAfter", Instant.now()), true, watch -> {
      try {
        // Mid-rotation: once the publish stage has started rolling the app, before the switch.
        PhotoAppStack.await("the publish rollout", Duration.ofMinutes(2), () -> !watch.rollouts.isEmpty());
        Pod before = node.operatorPod(Duration.ofMinutes(1));
        killed[0] = watch.phases.get(watch.phases.size() - 1).phase();
        node.kubectl.run("-n", NodeCluster.OPERATOR_NAMESPACE, "delete", "pod", before.getMetadata().getName(), "--wait=false").assertOk();
        Instant t = Instant.now();
        PhotoAppStack.await("a new operator pod ready", Duration.ofMinutes(3),
            () -> node.readyOperatorPod().filter(p -> !p.getMetadata().getUid().equals(before.getMetadata().getUid())).isPresent());
        killed[1] = seconds(t, Instant.now());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    });
    figures.row("operator pod deleted mid-rotation (in " + killed[0] + ")", "resumes; one rotation; **0** rejected", o.traffic(),
        "**" + o.traffic().rejectedUnexpired() + "**", "new operator pod ready in " + killed[1] + "; rotations "
            + o.rotationsBefore() + " → " + o.watch().rotationCount() + "; " + o.watch().stages(o.triggered()));
    assertThat(o.traffic().rejectedUnexpired()).as("unexpired tokens refused: %s", o.traffic()).isZero();
    assertThat(o.watch().rotationCount()).as("rotations").isEqualTo(o.rotationsBefore() + 1);
    stack.delete();
  }

  @Test
  @Order(6)
  void helmUpgradeWithAChangedCrdThenUninstallLeavesNothingHanging() throws Exception {
    NodeCluster.Memory after = NodeCluster.memory(node.operatorPod(Duration.ofMinutes(2)));
    figures.note("The operator pod's memory cgroup after the scenarios: " + after + ".");
    PhotoAppStack stack = hmacApp("node-helm", "Staged");
    stack.deploy();
    // The next chart version's CRD: one more printer column.
    Path chart = node.workDir.resolve("chart-next");
    copyTree(NodeCluster.CHART, chart);
    Path crdFile = chart.resolve("files/crds/jwtsecrets.jwt.photoapp.io-v1.yml");
    String crd = Files.readString(crdFile);
    assertThat(crd).contains("  - additionalPrinterColumns:\n");
    Files.writeString(crdFile, crd.replaceFirst("  - additionalPrinterColumns:\n",
        "  - additionalPrinterColumns:\n    - jsonPath: \".status.rotationCount\"\n      name: \"Rotations\"\n      priority: 1\n      type: \"integer\"\n"));
    Instant t0 = Instant.now();
    new Helm(chart).upgrade().withName(NodeCluster.RELEASE).withNamespace(NodeCluster.OPERATOR_NAMESPACE)
        .withKubeConfig(node.kubeconfig).set("image.pullPolicy", "Never").waitReady().withTimeout(240).call();
    Duration upgrade = Duration.between(t0, Instant.now());
    CustomResourceDefinition upgraded = node.admin.apiextensions().v1().customResourceDefinitions().withName(JwtSecret.CRD_NAME).get();
    assertThat(upgraded.getSpec().getVersions().get(0).getAdditionalPrinterColumns()).anyMatch(c -> c.getName().equals("Rotations"));
    assertThat(node.kubectl.run("-n", stack.namespace, "get", "jwts", "-o", "wide").assertOk().out()).contains("ROTATIONS");

    t0 = Instant.now();
    Helm.uninstall(NodeCluster.RELEASE).withNamespace(NodeCluster.OPERATOR_NAMESPACE).withKubeConfig(node.kubeconfig).call();
    Duration uninstall = Duration.between(t0, Instant.now());
    // crds.keep: the CRD and the JwtSecret outlive the release; with no operator, nothing holds a deletion.
    assertThat(node.admin.apiextensions().v1().customResourceDefinitions().withName(JwtSecret.CRD_NAME).get()).isNotNull();
    assertThat(stack.jwtSecret()).isNotNull();
    Duration apps = stack.deleteAndAwait(Duration.ofMinutes(5));
    node.kubectl.run("delete", "namespace", NodeCluster.OPERATOR_NAMESPACE, "--wait=false").assertOk();
    PhotoAppStack.await("namespace " + NodeCluster.OPERATOR_NAMESPACE + " deleted", Duration.ofMinutes(5),
        () -> node.admin.namespaces().withName(NodeCluster.OPERATOR_NAMESPACE).get() == null);
    figures.row("`helm upgrade` with a changed CRD, then `helm uninstall`", "CRD upgraded; nothing hangs", null,
        "–", String.format(Locale.ROOT, "upgrade --wait %d s (new printer column served); uninstall %d s; the app namespace"
            + " (JwtSecret, Secret, pods) deleted in %d s, the operator's in turn; CRD kept", upgrade.toSeconds(), uninstall.toSeconds(),
            apps.toSeconds()));
  }

  static void copyTree(Path from, Path to) throws Exception {
    NodeImages.deleteTree(to);
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }
}
