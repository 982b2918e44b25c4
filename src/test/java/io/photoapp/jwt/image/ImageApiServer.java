package io.photoapp.jwt.image;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.ApiServerDispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * The API server an image's operator talks to on this machine: the fabric8 mock server (CRUD,
 * merge patches as the API server applies them, SelfSubjectRulesReview answered with the chart's Lease rules for leader election) on a loopback port, with the CRD, the operator's
 * namespace and the examples' namespace, and a kubeconfig for it.
 */
final class ImageApiServer implements AutoCloseable {
  static final String OPERATOR_NAMESPACE = "jwt-system";
  static final String APP_NAMESPACE = "photoapp";
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  final KubernetesClient client;
  final String url;

  ImageApiServer(Path project) throws IOException {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new ApiServerDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    url = "http://127.0.0.1:" + server.getPort();
    try (InputStream in = Files.newInputStream(project.resolve("crds/jwtsecrets.jwt.photoapp.io-v1.yml"))) {
      client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
    }
    for (String ns : List.of(OPERATOR_NAMESPACE, APP_NAMESPACE)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
  }

  /** Applies every example into the app namespace; returns the JwtSecrets' names. */
  List<String> applyExamples(Path project) throws IOException {
    List<String> jwtSecrets = new ArrayList<>();
    try (Stream<Path> files = Files.list(project.resolve("examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          Object parsed = Serialization.unmarshal(in);
          for (Object item : parsed instanceof List<?> l ? l : List.of(parsed)) {
            HasMetadata resource = (HasMetadata) item;
            if ("JwtSecret".equals(resource.getKind()) && !(resource instanceof JwtSecret)) {
              resource = Serialization.jsonMapper().convertValue(resource, JwtSecret.class);
            }
            resource.getMetadata().setNamespace(APP_NAMESPACE);
            if (resource instanceof JwtSecret) {
              jwtSecrets.add(resource.getMetadata().getName());
            }
            client.resource(resource).create();
          }
        }
      }
    }
    return jwtSecrets;
  }

  /** Whether every named JwtSecret has a key (the operator reconciled it). */
  boolean allKeyed(List<String> names) {
    return names.stream().allMatch(name -> {
      JwtSecret js = client.resources(JwtSecret.class).inNamespace(APP_NAMESPACE).withName(name).get();
      return js != null && js.getStatus() != null && js.getStatus().keyId != null;
    });
  }

  /** A kubeconfig for this server (no credentials: the mock server takes any). */
  Path writeKubeconfig(Path file) throws IOException {
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: image-test
            cluster:
              server: %s
        contexts:
          - name: image-test
            context:
              cluster: image-test
              user: image-test
              namespace: %s
        current-context: image-test
        users:
          - name: image-test
            user:
              token: image-test
        """.formatted(url, OPERATOR_NAMESPACE));
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
