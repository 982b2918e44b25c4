package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import io.photoapp.jwt.push.TestTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JwtSecretStore whose identity is a ServiceAccount of its namespace, on the real API server under
 * the chart's RBAC: the operator mints a token with the TokenRequest API, the token the API server
 * signed reaches a local Vault (HTTPS, trusted through the store's caBundle) with the ServiceAccount's
 * subject and the store's audience, and the key set lands under the store's prefix. Nothing the
 * operator does may be forbidden (the extension checks its log after the class).
 */
@ExtendWith(ClusterExtension.class)
class StoreTokenRequestE2E {
  static final String NS = "e2e-stores";
  static final ObjectMapper JSON = new ObjectMapper();
  static HttpsServer vault;
  static final List<JsonNode> loginClaims = new CopyOnWriteArrayList<>();
  static final Map<String, String> written = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void startVault(E2ECluster cluster) throws Exception {
    cluster.namespace(NS);
    vault = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    vault.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
    vault.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String answer;
        if (path.equals("/v1/auth/kubernetes/login")) {
          String jwt = body.path("jwt").asText();
          loginClaims.add(JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])));
          answer = "{\"auth\":{\"client_token\":\"hvs.e2e\"}}";
        } else if (path.startsWith("/v1/secret/data/") && "hvs.e2e".equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
          written.put(path.substring("/v1/secret/data/".length()), body.path("data").path("kid").asText());
          answer = "{\"data\":{\"version\":1}}";
        } else {
          answer = "{\"errors\":[\"permission denied\"]}";
          exchange.sendResponseHeaders(403, answer.length());
          exchange.getResponseBody().write(answer.getBytes(StandardCharsets.UTF_8));
          return;
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    vault.start();
  }

  @AfterAll
  static void stopVault() {
    if (vault != null) {
      vault.stop(0);
    }
  }

  @Test
  void aTokenMintedForTheStoresServiceAccountReachesVault(E2ECluster cluster) {
    String url = "https://127.0.0.1:" + vault.getAddress().getPort();
    cluster.apply(NS, """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: jwt-pusher}
        ---
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: team-vault}
        spec:
          vault:
            address: "%s"
            pathPrefix: "photoapp/{namespace}"
            caBundle: {pem: "%s"}
            auth:
              kubernetes: {role: photoapp-jwt, serviceAccountRef: {name: jwt-pusher, audiences: [vault]}}
        ---
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: backend}
        spec:
          environment: test
          push:
            - storeRef: {name: team-vault}
        """.formatted(url, TestTls.get().caPem().replace("\n", "\\n"))).assertOk();

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      JwtSecretStore store = cluster.admin.resources(JwtSecretStore.class).inNamespace(NS).withName("team-vault").get();
      assertThat(store.getStatus()).isNotNull();
      assertThat(store.getStatus().conditions).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getStatus()).isEqualTo("True");
      });
      JwtSecret js = cluster.jwtSecret(NS, "backend");
      assertThat(js.getStatus()).isNotNull();
      assertThat(js.getStatus().push).singleElement().satisfies(e -> {
        assertThat(e.target).isEqualTo("JwtSecretStore/team-vault:photoapp/" + NS + "/backend");
        assertThat(e.keySet).isEqualTo(js.getStatus().keyId);
      });
    });
    assertThat(loginClaims).isNotEmpty().allSatisfy(claims -> {
      assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:" + NS + ":jwt-pusher");
      assertThat(claims.path("aud").toString()).isEqualTo("[\"vault\"]");
      long lifetime = claims.path("exp").asLong() - claims.path("iat").asLong();
      assertThat(lifetime).as("a short-lived token").isLessThanOrEqualTo(600);
    });
    assertThat(written).containsOnlyKeys("photoapp/" + NS + "/backend");
    assertThat(written.get("photoapp/" + NS + "/backend")).isEqualTo(cluster.jwtSecret(NS, "backend").getStatus().keyId);
  }
}
