package io.photoapp.jwt.node;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.photoapp.jwt.api.JwtSecret;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario's namespace: a JwtSecret and the photo app's Deployments (restart targets, each
 * behind a Service), as README "What the app must do" and "Asymmetric keys" describe them.
 */
final class PhotoAppStack {
  static final String JWT = "photoapp-jwt";

  /** A Deployment of the app: its name, replicas and how it reads the keys. */
  record App(String name, int replicas, Reads reads) {}

  enum Reads {
    /** HMAC: JWT_SECRET_KEY (-NEXT, -PREVIOUS) from env, and the Secret's jwks-secret.json mounted. */
    HMAC_ENV_AND_JWKS,
    /** Asymmetric signer: the Secret mounted, signs with the first (current) key of jwks-secret.json. */
    SECRET_JWKS,
    /** Asymmetric verifier: the public-keys ConfigMap mounted (jwks.json). */
    PUBLIC_JWKS
  }

  final NodeCluster node;
  final String namespace;
  final String algorithm;
  final String strategy;
  final List<App> apps;

  PhotoAppStack(NodeCluster node, String namespace, String algorithm, String strategy, List<App> apps) {
    this.node = node;
    this.namespace = namespace;
    this.algorithm = algorithm;
    this.strategy = strategy;
    this.apps = apps;
  }

  String jwtSecretYaml() {
    StringBuilder targets = new StringBuilder();
    apps.forEach(a -> targets.append("      - {kind: Deployment, name: ").append(a.name()).append("}\n"));
    return """
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: %s}
        spec:
          environment: development
          key: {algorithm: %s}
          token: {accessTokenExpireMinutes: 1}
          rotation: {strategy: %s, gracePeriod: 30s, propagationDelay: 10s, rolloutTimeout: 5m}
          restart:
            targets:
        %s""".formatted(JWT, algorithm, strategy, targets);
  }

  String appYaml(App app) {
    List<String> env = new ArrayList<>(List.of("{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}"));
    String fromSecret = "{name: %s, valueFrom: {secretKeyRef: {name: " + JWT + ", key: %s%s}}}";
    switch (app.reads()) {
      case HMAC_ENV_AND_JWKS -> {
        env.add(fromSecret.formatted("JWT_SECRET_KEY", "jwt-secret-key", ""));
        env.add(fromSecret.formatted("JWT_SECRET_KEY_NEXT", "jwt-secret-key-next", ", optional: true"));
        env.add(fromSecret.formatted("JWT_SECRET_KEY_PREVIOUS", "jwt-secret-key-previous", ", optional: true"));
        env.add(fromSecret.formatted("JWT_ALGORITHM", "jwt-algorithm", ""));
        env.add(fromSecret.formatted("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "jwt-access-token-expire-minutes", ""));
        env.add("{name: JWT_JWKS_FILE, value: /var/run/secrets/jwt/jwks-secret.json}");
      }
      case SECRET_JWKS -> {
        env.add(fromSecret.formatted("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "jwt-access-token-expire-minutes", ""));
        env.add("{name: JWT_JWKS_FILE, value: /var/run/secrets/jwt/jwks-secret.json}");
      }
      case PUBLIC_JWKS -> env.add("{name: JWT_JWKS_FILE, value: /var/run/jwks/jwks.json}");
    }
    String volume = app.reads() == Reads.PUBLIC_JWKS
        ? "{name: keys, configMap: {name: " + JWT + "-jwks}}" : "{name: keys, secret: {secretName: " + JWT + "}}";
    String mount = app.reads() == Reads.PUBLIC_JWKS ? "/var/run/jwks" : "/var/run/secrets/jwt";
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
          labels: {app: %1$s, jwt.photoapp.io/restartable: "true"}
        spec:
          replicas: %2$d
          selector: {matchLabels: {app: %1$s}}
          strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              automountServiceAccountToken: false
              terminationGracePeriodSeconds: 15
              securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
              containers:
                - name: app
                  image: %3$s
                  imagePullPolicy: Never
                  ports: [{containerPort: 8000}]
                  env: [%4$s]
                  volumeMounts: [{name: keys, mountPath: %5$s, readOnly: true}]
                  readinessProbe: {httpGet: {path: /ready, port: 8000}, periodSeconds: 1, failureThreshold: 1}
                  resources: {requests: {cpu: 20m, memory: 64Mi}, limits: {memory: 192Mi}}
                  securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
              volumes: [%6$s]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          selector: {app: %1$s}
          ports: [{port: 80, targetPort: 8000}]
        """.formatted(app.name(), app.replicas(), NodeCluster.APP_IMAGE, String.join(", ", env), mount, volume);
  }

  /** Creates the namespace, the JwtSecret, then the apps once their Secret (and ConfigMap) exist; waits until all is rolled out and Idle. */
  void deploy() throws InterruptedException {
    node.kubectl.run("create", "namespace", namespace).assertOk();
    node.kubectl.runWithInput(jwtSecretYaml(), "apply", "-n", namespace, "-f", "-").assertOk();
    await("the Secret" + (isAsymmetric() ? " and ConfigMap" : ""), Duration.ofSeconds(60), () ->
        node.admin.secrets().inNamespace(namespace).withName(JWT).get() != null
            && (!isAsymmetric() || node.admin.configMaps().inNamespace(namespace).withName(JWT + "-jwks").get() != null));
    for (App app : apps) {
      node.kubectl.runWithInput(appYaml(app), "apply", "-n", namespace, "-f", "-").assertOk();
    }
    awaitSettled(Duration.ofMinutes(3));
  }

  boolean isAsymmetric() {
    return !algorithm.startsWith("HS");
  }

  JwtSecret jwtSecret() {
    return node.admin.resources(JwtSecret.class).inNamespace(namespace).withName(JWT).get();
  }

  /** Idle, RolloutComplete=True, and every Deployment rolled out with no old pod left serving. */
  void awaitSettled(Duration timeout) throws InterruptedException {
    await("Idle and rolled out", timeout, () -> {
      JwtSecret j = jwtSecret();
      return j != null && j.getStatus() != null && j.getStatus().phase != null && j.getStatus().phase.name().equals("Idle")
          && rolloutComplete(j) && apps.stream().allMatch(a -> rolledOut(a.name()));
    });
  }

  static boolean rolloutComplete(JwtSecret j) {
    return j.getStatus().conditions.stream().anyMatch(c -> c.getType().equals("RolloutComplete") && c.getStatus().equals("True"));
  }

  /** As {@code kubectl rollout status} judges it, and no pod of an older template left. */
  boolean rolledOut(String name) {
    Deployment d = node.admin.apps().deployments().inNamespace(namespace).withName(name).get();
    if (d == null || d.getStatus() == null || d.getStatus().getObservedGeneration() == null) {
      return false;
    }
    int want = d.getSpec().getReplicas();
    var s = d.getStatus();
    return s.getObservedGeneration() >= d.getMetadata().getGeneration() && nz(s.getUpdatedReplicas()) == want
        && nz(s.getReplicas()) == want && nz(s.getAvailableReplicas()) == want;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  long generation(String name) {
    return node.admin.apps().deployments().inNamespace(namespace).withName(name).get().getMetadata().getGeneration();
  }

  /** The Service's cluster address: kube-proxy's rules on this machine send it to a ready pod. */
  InetSocketAddress service(String name) {
    Service s = node.admin.services().inNamespace(namespace).withName(name).get();
    return new InetSocketAddress(s.getSpec().getClusterIP(), 80);
  }

  void patchRotation(String field, Instant value) {
    node.kubectl.run("-n", namespace, "patch", "jwts", JWT, "--type", "merge", "-p",
        "{\"spec\":{\"rotation\":{\"" + field + "\":\"" + value.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}}}").assertOk();
  }

  /**
   * Deletes the namespace and waits (bounded) until its pods are gone, so that the next scenario has
   * the machine's CPU; the namespace itself goes once the namespace controller looks again.
   */
  void delete() throws InterruptedException {
    node.kubectl.run("delete", "namespace", namespace, "--wait=false").assertOk();
    try {
      await("the pods of " + namespace + " gone", Duration.ofMinutes(2),
          () -> node.admin.pods().inNamespace(namespace).list().getItems().isEmpty());
    } catch (AssertionError slow) {
      // Not a check (helmUpgrade... checks deletion): the next scenario only starts with less CPU to spare.
      System.out.println("[node] " + slow.getMessage() + "; going on");
    }
  }

  /** Deletes the namespace and waits (bounded) until it is gone: nothing in it may hang. */
  Duration deleteAndAwait(Duration timeout) throws InterruptedException {
    Instant t0 = Instant.now();
    node.kubectl.run("delete", "namespace", namespace, "--wait=false").assertOk();
    await("namespace " + namespace + " deleted", timeout, () -> node.admin.namespaces().withName(namespace).get() == null);
    return Duration.between(t0, Instant.now());
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void await(String what, Duration timeout, Check check) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    Exception last = null;
    while (Instant.now().isBefore(end)) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not " + what + " within " + timeout + (last == null ? "" : ": " + last));
  }

  List<String> appNames() {
    List<String> names = new ArrayList<>();
    apps.forEach(a -> names.add(a.name()));
    return names;
  }
}
