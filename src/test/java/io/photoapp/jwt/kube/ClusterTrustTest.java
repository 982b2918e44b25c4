package io.photoapp.jwt.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.photoapp.jwt.push.TestTls;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The operator's clients trust the API server through the cluster's CA alone. fabric8 by itself adds that CA to the
 * JDK's public CAs, so a certificate that any public CA issued for the API server's address passed as well.
 */
class ClusterTrustTest {
  static final TestTls CLUSTER_CA = TestTls.get();

  static Config config(String caPem, String master) {
    return new ConfigBuilder(Config.empty()).withMasterUrl(master)
        .withCaCertData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII))).build();
  }

  /** A root certificate of the JDK's trust store: what a public CA's chain ends in. */
  static X509Certificate publicRoot() throws Exception {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((java.security.KeyStore) null);
    X509TrustManager jdk = (X509TrustManager) factory.getTrustManagers()[0];
    return Arrays.stream(jdk.getAcceptedIssuers()).filter(c -> c.getPublicKey().getAlgorithm().equals("RSA")).findFirst().orElseThrow();
  }

  @Test
  void aPublicCasCertificateNoLongerPassesForTheApiServer() throws Exception {
    Config config = config(CLUSTER_CA.caPem(), "https://127.0.0.1:6443");
    X509Certificate[] publicChain = {publicRoot()};

    // fabric8's own trust: the cluster's CA plus every public one.
    X509TrustManager fabric8s = (X509TrustManager) SSLUtils.trustManagers(config)[0];
    fabric8s.checkServerTrusted(publicChain, "RSA");

    X509TrustManager ours = (X509TrustManager) ClusterTrust.of(config).orElseThrow()[0];
    assertThatThrownBy(() -> ours.checkServerTrusted(publicChain, "RSA")).isInstanceOf(CertificateException.class);
    assertThat(ours.getAcceptedIssuers()).hasSize(1);
  }

  @Test
  void aClientTalksToTheApiServerThatTheClusterCaCertified() throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(CLUSTER_CA.serverContext()));
    server.createContext("/version", exchange -> {
      byte[] body = "{\"major\":\"1\",\"minor\":\"20\",\"gitVersion\":\"v1.20.0\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      Config config = config(CLUSTER_CA.caPem(), "https://127.0.0.1:" + server.getAddress().getPort());
      config.setRequestRetryBackoffLimit(0);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
          .withHttpClientBuilderConsumer(http -> ClusterTrust.install(http, config)).build()) {
        assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("20");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withoutACaOrWithoutChecksFabric8sTrustStays() {
    assertThat(ClusterTrust.of(new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:6443").build())).isEmpty();
    Config insecure = config(CLUSTER_CA.caPem(), "https://127.0.0.1:6443");
    insecure.setTrustCerts(true);
    assertThat(ClusterTrust.of(insecure)).isEmpty();
  }

  @Test
  void aCaThatIsNoCertificateIsAnErrorThatShowsNoContent() {
    Config config = config("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", "https://127.0.0.1:6443");

    assertThatThrownBy(() -> ClusterTrust.of(config)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the API server's CA (certificate-authority-data)").hasMessageNotContaining("bm90");
  }
}
