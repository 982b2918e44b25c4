package io.photoapp.jwt.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.CertUtils;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.TrustManager;

/**
 * The API server is trusted through its cluster's CA alone, as client-go trusts it. fabric8 adds the CA that the
 * service account or the kubeconfig names to the JDK's trust store of public CAs: any certificate that one of those
 * ~140 CAs issued for the API server's address would pass too. (It saves no memory: the JDK keeps its CAs loaded after
 * the first TLS handshake anyway, README "Trusting the API server".)
 * Where no CA is named (the JDK's store is then the only trust there is) or certificates are not checked at all
 * (a kubeconfig's {@code insecure-skip-tls-verify}), fabric8's own trust stays.
 */
public final class ClusterTrust {
  private ClusterTrust() {}

  /** Trust managers that accept the configured CA's certificates and nothing else; empty where fabric8's stay. */
  static Optional<TrustManager[]> of(Config config) {
    if (config.isTrustCerts() || (isBlank(config.getCaCertData()) && isBlank(config.getCaCertFile()))) {
      return Optional.empty();
    }
    try (InputStream pem = CertUtils.getInputStreamFromDataOrFile(config.getCaCertData(), config.getCaCertFile())) {
      Collection<? extends Certificate> certs = PemTrust.certificates(pem);
      if (certs.isEmpty()) {
        throw new IllegalStateException("the API server's CA (" + source(config) + ") holds no PEM certificate");
      }
      return Optional.of(PemTrust.trusting(certs));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("the API server's CA (" + source(config) + ") cannot be read: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Makes a client builder trust the API server through its CA alone (the client certificate, if any, as fabric8
   * configured it). Call it from {@code KubernetesClientBuilder.withHttpClientBuilderConsumer}: fabric8 has set its
   * own SSL context on the builder by then, and this one replaces it.
   */
  public static void install(HttpClient.Builder http, Config config) {
    Optional<TrustManager[]> trust = of(config);
    if (trust.isEmpty()) {
      return;
    }
    try {
      http.sslContext(SSLUtils.keyManagers(config), trust.get());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("the client certificate cannot be read: " + e.getClass().getSimpleName());
    }
  }

  private static String source(Config config) {
    return isBlank(config.getCaCertFile()) ? "certificate-authority-data" : config.getCaCertFile();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
