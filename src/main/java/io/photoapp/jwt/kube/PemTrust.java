package io.photoapp.jwt.kube;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in the CA certificates of a PEM bundle and nothing else: the API server's CA ({@link ClusterTrust}) and a
 * store's {@code caBundle} (push). One place decides what "trust only these" means.
 */
public final class PemTrust {
  private PemTrust() {}

  /** The certificates of a PEM bundle; empty when it holds none. */
  public static Collection<? extends Certificate> certificates(InputStream pem) throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509").generateCertificates(pem);
  }

  /** Trust managers that accept chains ending in one of {@code cas}, and no other (not the JDK's CAs). */
  public static TrustManager[] trusting(Collection<? extends Certificate> cas) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate cert : cas) {
      store.setCertificateEntry("ca-" + i++, cert);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }
}
