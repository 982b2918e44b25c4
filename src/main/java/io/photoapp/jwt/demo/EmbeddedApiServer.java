package io.photoapp.jwt.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * The demo's in-process API server: the fabric8 mock server in CRUD mode, applying merge patches
 * as the API server does. It and its dependencies (vert.x, netty) ship only in the demo jar
 * (target/jwt-secret-operator.jar); the runtime jar, which the image runs, leaves this package out.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  /** Held so that the JUL level set on it sticks: the mock server logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private EmbeddedApiServer(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient(b -> b.withKubernetesSerialization(io.photoapp.jwt.kube.OperatorSerialization.create()));
  }

  public static EmbeddedApiServer start() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new MergePatchCrudDispatcher(), false);
    server.init();
    return new EmbeddedApiServer(server);
  }

  public KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
