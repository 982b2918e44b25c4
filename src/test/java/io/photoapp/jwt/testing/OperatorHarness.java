package io.photoapp.jwt.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.runtime.OperatorRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The fabric8 mock API server in CRUD mode with the CRD applied and the real operator running. */
public final class OperatorHarness implements AutoCloseable {
  public static final Instant START = Instant.parse("2026-11-28T06:00:00Z");
  public final KubernetesMockServer server;
  public final KubernetesClient client;
  public final MutableClock clock = new MutableClock(START);
  public final ApiServerDispatcher dispatcher = new ApiServerDispatcher();
  /** Between the operators and the server, to drop connections the dispatcher marks. */
  private final CuttingProxy proxy;
  private OperatorRuntime operator;
  private KubernetesClient operatorClient;
  private final List<OperatorRuntime> others = new ArrayList<>();
  /** Every operator ever started here, stopped ones too: their metrics stay readable. */
  private final List<OperatorRuntime> started = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<KubernetesClient> otherClients = new ArrayList<>();
  /** What the operators talk to besides the API server, closed after they stopped (see closeAfterOperators). */
  private final List<AutoCloseable> afterOperators = new ArrayList<>();

  public OperatorHarness() {
    server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
        new java.util.HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    client.resource(crd()).create();
    storeCrds().forEach(c -> client.resource(c).create());
    try {
      proxy = new CuttingProxy(server.getPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static CustomResourceDefinition crd() {
    Path generated = Path.of("target/classes/META-INF/fabric8/jwtsecrets.jwt.photoapp.io-v1.yml");
    Path file = Files.exists(generated) ? generated : Path.of("crds/jwtsecrets.jwt.photoapp.io-v1.yml");
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CRDs of JwtSecretStore and ClusterJwtSecretStore. */
  public static List<CustomResourceDefinition> storeCrds() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String name : List.of("jwtsecretstores", "clusterjwtsecretstores")) {
      String file = name + ".jwt.photoapp.io-v1.yml";
      Path generated = Path.of("target/classes/META-INF/fabric8/" + file);
      try (InputStream in = Files.newInputStream(Files.exists(generated) ? generated : Path.of("crds", file))) {
        crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return crds;
  }

  /** Creates a JwtSecretStore or ClusterJwtSecretStore from YAML. */
  public void applyStore(String yaml) {
    if (yaml.contains("kind: ClusterJwtSecretStore")) {
      client.resource(Serialization.unmarshal(yaml, io.photoapp.jwt.api.ClusterJwtSecretStore.class)).create();
    } else {
      client.resource(Serialization.unmarshal(yaml, io.photoapp.jwt.api.JwtSecretStore.class)).create();
    }
  }

  public OperatorHarness start() {
    return start(OperatorConfig.defaults().withMetricsPort(-1));
  }

  public OperatorHarness start(OperatorConfig config) {
    return start(config, runtime -> { });
  }

  /** Starts the operator, with {@code beforeStart} applied to the runtime first (settings only a test changes). */
  public OperatorHarness start(OperatorConfig config, java.util.function.Consumer<OperatorRuntime> beforeStart) {
    operatorClient = newOperatorClient(config);
    try {
      OperatorRuntime runtime = new OperatorRuntime(operatorClient, config, clock);
      beforeStart.accept(runtime);
      started.add(runtime);
      operator = runtime.start();
    } catch (IOException | RuntimeException e) {
      operatorClient.close();
      throw e instanceof IOException ? new IllegalStateException(e) : (RuntimeException) e;
    }
    return this;
  }

  /**
   * A client of its own for each operator, as a separate process has: it connects through a
   * {@link CuttingProxy}, and its requests carry {@link ApiServerDispatcher#CLIENT_HEADER}, so the
   * dispatcher tells them from the test's. The request rate limiter of {@code config} sits in front
   * of them, as the run command installs it.
   */
  public KubernetesClient newOperatorClient(OperatorConfig config) {
    io.fabric8.kubernetes.client.http.Interceptor tag = new io.fabric8.kubernetes.client.http.Interceptor() {
      @Override
      public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder,
          io.fabric8.kubernetes.client.http.HttpRequest request, RequestTags tags) {
        builder.setHeader(ApiServerDispatcher.CLIENT_HEADER, ApiServerDispatcher.OPERATOR_CLIENT);
        java.net.URI uri = request.uri();
        if (uri.getRawQuery() != null && uri.getRawQuery().contains("watch=true")) {
          // Watches go straight to the server: the JDK's WebSocket can lose the first frame when it
          // arrives in one segment with the handshake, as a proxy may send them; only requests need cutting.
          builder.uri(java.net.URI.create(uri.toString().replaceFirst(":" + proxy.port() + "/", ":" + server.getPort() + "/")));
        }
      }
    };
    io.fabric8.kubernetes.client.Config viaProxy = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
        .withMasterUrl("http://localhost:" + proxy.port() + "/").build();
    // The serialization RunCommand gives the operator's client: the kinds it reads, no class path scan.
    return server.createClient(b -> b.withConfig(viaProxy).withKubernetesSerialization(io.photoapp.jwt.kube.OperatorSerialization.create())
        .withHttpClientBuilderConsumer(http -> {
          http.addOrReplaceInterceptor("test-client", tag);
          io.photoapp.jwt.ops.RequestRateLimiter.install(http, config);
        }));
  }

  /** Plays the workload controllers: marks every workload whose status lags as rolled out. */
  public void completeRollouts() {
    new io.photoapp.jwt.demo.SimulatedWorkloadController(client).completeRollouts();
  }

  /** Creates an opted-in Deployment whose pods read the Secret. */
  public void deployment(String namespace, String name, Map<String, String> labels) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put(io.photoapp.jwt.api.Labels.RESTARTABLE, "true");
    client.apps().deployments().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(all).endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("photoapp:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  /** The pod-template annotation a JwtSecret set on a Deployment, or null. */
  public String keySetOn(String namespace, String deployment, String jwtSecret) {
    var d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    var annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(io.photoapp.jwt.restart.KeySetAnnotation.nameFor(jwtSecret));
  }

  /** Event reasons recorded on a JwtSecret, oldest first. */
  public java.util.List<String> eventReasons(String namespace, String jwtSecret) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> jwtSecret.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(e -> String.valueOf(e.getFirstTimestamp())))
        .map(io.fabric8.kubernetes.api.model.Event::getReason).toList();
  }

  /** Starts one more operator on the same API server (a second replica); closed with the harness. */
  public OperatorRuntime launch(OperatorConfig config) {
    try {
      KubernetesClient own = newOperatorClient(config);
      otherClients.add(own);
      OperatorRuntime runtime = new OperatorRuntime(own, config, clock);
      others.add(runtime);
      started.add(runtime);
      return runtime.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Prometheus page of every operator started here, as {@code /metrics} serves it. */
  public List<String> metricsPages() {
    return started.stream().map(o -> o.metrics().scrape()).toList();
  }

  public OperatorRuntime operator() {
    return operator;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
      operatorClient.close();
      operatorClient = null;
    }
  }

  public void namespace(String name, Map<String, String> labels) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
        .endMetadata().build()).create();
  }

  public JwtSecret apply(String yaml) {
    JwtSecret js = Serialization.unmarshal(yaml, JwtSecret.class);
    return client.resource(js).create();
  }

  /** Creates the JwtSecret a builder describes. */
  public JwtSecret apply(JwtSecrets jwtSecret) {
    return client.resource(jwtSecret.build()).create();
  }

  /** Creates a Secret in the namespace its builder names. */
  public Secret create(Secrets secret) {
    return client.resource(secret.build()).create();
  }

  /** Creates a Deployment, StatefulSet or DaemonSet in the namespace its builder names. */
  public io.fabric8.kubernetes.api.model.HasMetadata create(Workloads workload) {
    return client.resource(workload.build()).create();
  }

  /** Creates a JwtSecretStore, or a ClusterJwtSecretStore when the builder names no namespace. */
  public void applyStore(Stores store) {
    if (store.namespace() == null) {
      client.resource(store.buildCluster()).create();
    } else {
      client.resource(store.build()).create();
    }
  }

  public JwtSecret get(String namespace, String name) {
    return client.resources(JwtSecret.class).inNamespace(namespace).withName(name).get();
  }

  public Secret secret(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /** Decoded data value; for assertions only, never print it. */
  public static String data(Secret secret, String key) {
    String v = secret.getData().get(key);
    return v == null ? null : new String(Base64.getDecoder().decode(v), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Makes the operator look again (an annotation change triggers a reconcile). */
  public void poke(String namespace, String name) {
    client.resources(JwtSecret.class).inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"test/poke\":\"" + System.nanoTime() + "\"}}}");
  }

  /**
   * Changes a JwtSecret as a user would (the spec, metadata), and returns what the server stored;
   * like kubectl edit, it reads again and retries when the operator wrote status in between.
   */
  public JwtSecret edit(String namespace, String name, UnaryOperator<JwtSecret> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(JwtSecret.class).inNamespace(namespace).withName(name).edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** Deletes a JwtSecret and waits until the server has let it go (no finalizer holds it). */
  public void deleteAndAwaitGone(String namespace, String name) {
    client.resources(JwtSecret.class).inNamespace(namespace).withName(name).delete();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> get(namespace, name) == null);
  }

  /** The core v1 Events recorded in a namespace. */
  public List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }

  /** Reconciles of one JwtSecret that ended without an exception, as the SDK's metrics count them. */
  public long successfulReconciles(String namespace, String name) {
    return reconciles("operator.sdk.reconciliations.success", namespace, name);
  }

  /**
   * Pokes a JwtSecret and waits until the operator has reconciled it after the poke. The count it waits to see grow
   * is read once the JwtSecret's reconciles have settled (none running, none ended for 100 ms): read earlier, a
   * follow-up of the change before (its Secret's event, a timer) could end the wait before the poke's own
   * reconcile, and an assertion that the poke changed nothing would then hold whatever the operator does.
   */
  public void pokeAndAwaitReconcile(String namespace, String name) {
    long before = settledReconciles(namespace, name);
    poke(namespace, name);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> successfulReconciles(namespace, name) > before);
  }

  private long settledReconciles(String namespace, String name) {
    long[] seen = {-1};
    await("the reconciles of " + namespace + "/" + name + " to settle").atMost(Duration.ofSeconds(20))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
          long ended = successfulReconciles(namespace, name) + reconciles("operator.sdk.reconciliations.failed", namespace, name);
          boolean settled = ended == seen[0] && reconciles("operator.sdk.reconciliations.started", namespace, name) == ended;
          seen[0] = ended;
          return settled;
        });
    return successfulReconciles(namespace, name);
  }

  private long reconciles(String meter, String namespace, String name) {
    return (long) operator.metrics().registry().find(meter).tag("namespace", namespace).tag("name", name).counters()
        .stream().mapToDouble(Counter::count).sum();
  }

  /**
   * The requests that changed something (POST, PUT, PATCH, DELETE) since the last call, as
   * "METHOD path"; every request the server received until now is consumed.
   */
  public List<String> takeWrites() {
    return takeRequests().stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  /** Every request the server received since the last call, reads included, as "METHOD path". */
  public List<String> takeRequests() {
    List<String> requests = new ArrayList<>();
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        requests.add(r.getMethod() + " " + r.getPath());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return requests;
  }

  /** Waits until the supplier gives a value, and returns it. */
  public <T> T awaitCondition(java.util.function.Supplier<T> value) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(value::get, v -> v != null);
  }

  public JwtSecret awaitStatus(String namespace, String name, Predicate<JwtSecret> condition) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          JwtSecret js = get(namespace, name);
          return js != null && js.getStatus() != null && condition.test(js);
        });
    return get(namespace, name);
  }

  /**
   * Closes {@code resource} when the harness closes, once every operator has stopped, last given
   * first: a fake store, or credentials set in system properties, stays while an operator may still
   * reach for it (a reconcile in flight would otherwise meet a closed port or no credentials).
   */
  public <T extends AutoCloseable> T closeAfterOperators(T resource) {
    afterOperators.add(resource);
    return resource;
  }

  @Override
  public void close() {
    stopOperator();
    others.forEach(OperatorRuntime::close);
    IllegalStateException failed = new IllegalStateException("closing what the operators used");
    for (int i = afterOperators.size() - 1; i >= 0; i--) {
      try {
        afterOperators.get(i).close();
      } catch (Exception e) {
        failed.addSuppressed(e);
      }
    }
    otherClients.forEach(KubernetesClient::close);
    client.close();
    proxy.close();
    server.destroy();
    if (failed.getSuppressed().length > 0) {
      throw failed;
    }
  }
}
