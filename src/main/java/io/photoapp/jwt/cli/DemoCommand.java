package io.photoapp.jwt.cli;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.demo.EmbeddedApiServer;
import io.photoapp.jwt.demo.SimulatedWorkloadController;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.runtime.OperatorRuntime;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.secret.JwksConfigMap;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the operator on an in-process API server (the fabric8 mock server in CRUD mode) with the
 * examples, rotating every few seconds, and prints what happens. Keys appear only as key ids.
 * The runtime jar (the image's) leaves the embedded server out: there the command says so and exits with 2.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the operator on an embedded API server with the examples, and show rotations (key ids only).")
public final class DemoCommand implements Callable<Integer> {
  static final String NAMESPACE = "photoapp";
  /** Classes the demo needs that only the demo jar carries (the runtime jar leaves them out). */
  static final List<String> DEMO_ONLY = List.of("io/photoapp/jwt/demo/EmbeddedApiServer.class",
      "io/fabric8/kubernetes/client/server/mock/KubernetesMockServer.class");
  static final String NOT_IN_THIS_BUILD = "demo is not in this build: the runtime jar (the image's) ships without the "
      + "embedded API server; run the demo from target/jwt-secret-operator.jar (mvn -B -q package -DskipTests)";

  /** The demo's one clock: the operator's and the script's. */
  private final Clock clock = Clock.systemUTC();

  @Option(names = "--duration", defaultValue = "100s", description = "How long to run (default: ${DEFAULT-VALUE}); Ctrl-C stops earlier.")
  String duration;

  @Option(names = "--verbose", description = "Show the operator's log (INFO) as well.")
  boolean verbose;

  @Option(names = "--dir", defaultValue = ".", description = "Folder holding crds/ and examples/ (default: the current folder).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (!DEMO_ONLY.stream().allMatch(c -> DemoCommand.class.getClassLoader().getResource(c) != null)) {
      throw new CliError(NOT_IN_THIS_BUILD);
    }
    Duration runFor = io.photoapp.jwt.spec.Durations.parse(duration);
    Logging.configure(verbose ? ch.qos.logback.classic.Level.INFO : ch.qos.logback.classic.Level.WARN, false);
    EmbeddedApiServer server = EmbeddedApiServer.start();
    KubernetesClient client = server.client();
    SimulatedWorkloadController controllers = new SimulatedWorkloadController(client).start(1000);
    OperatorRuntime operator = null;
    try {
      say("embedded API server at " + client.getMasterUrl());
      applyCrds(client);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
      List<String> names = applyExamples(client);
      operator = new OperatorRuntime(client, OperatorConfig.defaults().withMetricsPort(-1), clock);
      // Rotations every 20 seconds would meet the key request throttle (3 keys in 10 minutes) at once.
      operator.limitKeyRequests(new io.photoapp.jwt.rotation.KeyRequestThrottle.Limit(1000, Duration.ofMinutes(10)));
      operator.start();
      say("operator running; JwtSecrets rotate every 20s (demo settings), the Deployment controller is simulated");
      watch(client, names, runFor);
      return 0;
    } finally {
      if (operator != null) {
        operator.close();
      }
      controllers.close();
      server.close();
      say("demo finished");
    }
  }

  private void applyCrds(KubernetesClient client) throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("crds"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
          say("applied " + dir.relativize(f));
        }
      }
    }
  }

  /** Applies every example into the demo namespace, with rotation settings fast enough to watch. */
  private List<String> applyExamples(KubernetesClient client) throws Exception {
    List<String> jwtSecrets = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          Object parsed = Serialization.unmarshal(in);
          List<?> items = parsed instanceof List<?> l ? l : List.of(parsed);
          for (Object item : items) {
            HasMetadata resource = (HasMetadata) item;
            if ("JwtSecret".equals(resource.getKind()) && !(resource instanceof JwtSecret)) {
              resource = Serialization.jsonMapper().convertValue(resource, JwtSecret.class);
            }
            resource.getMetadata().setNamespace(NAMESPACE);
            if (resource instanceof JwtSecret js) {
              speedUp(js);
              jwtSecrets.add(js.getMetadata().getName());
            }
            client.resource(resource).create();
            say("applied " + dir.relativize(f) + ": " + resource.getKind() + " " + resource.getMetadata().getName());
          }
        }
      }
    }
    return jwtSecrets;
  }

  private static void speedUp(JwtSecret js) {
    var spec = js.getSpec();
    if (spec.rotation == null) {
      spec.rotation = new io.photoapp.jwt.api.RotationSpec();
    }
    spec.rotation.schedule = "@every 20s";
    spec.rotation.timeZone = null;
    spec.rotation.propagationDelay = "3s";
    spec.rotation.gracePeriod = "1m";
    if (spec.token == null) {
      spec.token = new io.photoapp.jwt.api.TokenSpec();
    }
    spec.token.accessTokenExpireMinutes = 1;
  }

  private void watch(KubernetesClient client, List<String> names, Duration runFor) throws InterruptedException {
    Instant end = clock.instant().plus(runFor);
    Map<String, String> last = new TreeMap<>();
    boolean emergencyAsked = false;
    Instant emergencyAt = clock.instant().plus(runFor.multipliedBy(2).dividedBy(3));
    while (clock.instant().isBefore(end)) {
      for (String name : names) {
        JwtSecret js = client.resources(JwtSecret.class).inNamespace(NAMESPACE).withName(name).get();
        if (js == null || js.getStatus() == null || js.getStatus().keyId == null) {
          continue;
        }
        String line = describe(client, js);
        if (!line.equals(last.get(name))) {
          last.put(name, line);
          say(line);
        }
      }
      if (!emergencyAsked && clock.instant().isAfter(emergencyAt) && !names.isEmpty()) {
        emergencyAsked = true;
        String name = names.get(0);
        say("requesting an emergency rotation of " + name + " (annotation " + Labels.INVALIDATE_BEFORE + ")");
        client.resources(JwtSecret.class).inNamespace(NAMESPACE).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + Labels.INVALIDATE_BEFORE + "\":\"" + clock.instant() + "\"}}}");
      }
      Thread.sleep(500);
    }
  }

  private static String describe(KubernetesClient client, JwtSecret js) {
    var st = js.getStatus();
    StringBuilder sb = new StringBuilder();
    sb.append(js.getMetadata().getName()).append(": phase=").append(st.phase)
        .append(" key=").append(st.keyId);
    if (st.nextKeyId != null) {
      sb.append(" next=").append(st.nextKeyId);
    }
    if (st.previousKeyId != null) {
      sb.append(" previous=").append(st.previousKeyId);
    }
    sb.append(" rotations=").append(st.rotationCount).append(" reason=").append(st.lastRotationReason);
    for (String type : List.of(Conditions.READY, Conditions.POLICY_COMPLIANT, Conditions.ROLLOUT_COMPLETE)) {
      Conditions.find(st.conditions, type).ifPresent(c -> sb.append(' ').append(type).append('=').append(c.getStatus())
          .append('(').append(c.getReason()).append(')'));
    }
    String secretName = js.getSpec().secret != null && js.getSpec().secret.name != null ? js.getSpec().secret.name : js.getMetadata().getName();
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(secretName).get();
    if (secret != null && secret.getData() != null) {
      List<String> keys = new ArrayList<>();
      secret.getData().forEach((k, v) -> {
        if (v != null) {
          keys.add(k.startsWith("jwt-secret-key") ? k + "[" + keyId(v, algorithmOf(secret, k)) + "]" : k);
        }
      });
      keys.sort(String::compareTo);
      sb.append("\n    Secret ").append(secretName).append(": ").append(String.join(", ", keys));
    }
    ConfigMap jwks = client.configMaps().inNamespace(NAMESPACE).withName(JwksConfigMap.nameFor(secretName)).get();
    if (jwks != null && jwks.getData() != null && jwks.getData().get(JwksConfigMap.DATA_KEY) != null) {
      try {
        List<String> ids = JWKSet.parse(jwks.getData().get(JwksConfigMap.DATA_KEY)).getKeys().stream().map(JWK::getKeyID).toList();
        sb.append("\n    ConfigMap ").append(jwks.getMetadata().getName()).append(": ").append(JwksConfigMap.DATA_KEY)
            .append(ids);
      } catch (java.text.ParseException e) {
        sb.append("\n    ConfigMap ").append(jwks.getMetadata().getName()).append(": unreadable");
      }
    }
    return sb.toString();
  }

  private static String keyId(String base64, Algorithm algorithm) {
    return KeyIds.of(KeyValue.ofUtf8(Base64.getDecoder().decode(base64)), algorithm);
  }

  /** The algorithm of the key under a default data key, as the Secret's annotations record it. */
  private static Algorithm algorithmOf(Secret secret, String dataKey) {
    Map<String, String> a = secret.getMetadata().getAnnotations() == null ? Map.of() : secret.getMetadata().getAnnotations();
    String annotation = dataKey.endsWith("-next") ? Labels.NEXT_KEY_ALGORITHM
        : dataKey.endsWith("-previous") ? Labels.PREVIOUS_KEY_ALGORITHM : Labels.KEY_ALGORITHM;
    return Algorithm.parse(a.getOrDefault(annotation, "")).orElse(Algorithm.HS256);
  }

  private static void say(String text) {
    System.out.println(java.time.LocalTime.now().withNano(0) + "  " + text);
  }
}
