package io.photoapp.jwt.push;

import io.photoapp.jwt.kube.PemTrust;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;

/** An SSLContext that trusts the CA certificates of a PEM bundle, and nothing else. */
final class TlsTrust {
  private TlsTrust() {}

  static SSLContext trusting(String pem, String source) throws PushException {
    try {
      Collection<? extends Certificate> certs = PemTrust.certificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        throw new PushException(PushException.Reason.ConfigurationError, source + " holds no PEM certificate");
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, PemTrust.trusting(certs), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PushException(PushException.Reason.ConfigurationError, source + " is not a usable PEM CA bundle: "
          + e.getClass().getSimpleName());
    }
  }
}
