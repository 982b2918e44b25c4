package io.photoapp.jwt.push;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1, made by the JDK's keytool once per test run (no key
 * material is checked in): the server side of HTTPS test stores, and the CA that clients trust.
 */
public final class TestTls {
  private static final char[] PASSWORD = "test-only".toCharArray();
  private static TestTls instance;

  private final KeyStore keyStore;
  private final String certificatePem;

  private TestTls(KeyStore keyStore, String certificatePem) {
    this.keyStore = keyStore;
    this.certificatePem = certificatePem;
  }

  public static synchronized TestTls get() {
    if (instance == null) {
      instance = make();
    }
    return instance;
  }

  private static TestTls make() {
    try {
      Path dir = Files.createTempDirectory("push-tls");
      Path file = dir.resolve("localhost.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "localhost", "-keyalg", "EC",
          "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
          "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
          "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed");
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        ks.load(in, PASSWORD);
      }
      Files.delete(file);
      Files.delete(dir);
      Certificate cert = ks.getCertificate("localhost");
      String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
      return new TestTls(ks, pem);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's TLS context. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The certificate as PEM: the CA bundle a client trusts. */
  public String caPem() {
    return certificatePem;
  }

  /** A client context that trusts this certificate only. */
  SSLContext clientContext() {
    try {
      return TlsTrust.trusting(certificatePem, "test CA");
    } catch (PushException e) {
      throw new IllegalStateException(e);
    }
  }
}
