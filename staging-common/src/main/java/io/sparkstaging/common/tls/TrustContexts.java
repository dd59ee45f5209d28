package io.sparkstaging.common.tls;

import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** The TLS socket factory that trusts what the configuration says. */
public final class TrustContexts {
  private TrustContexts() {}

  /** @return null for the JVM's default trust, which is then initialised only if https is used */
  public static SSLSocketFactory from(TrustConfig trust) {
    try {
      if (trust instanceof TrustConfig.TrustStoreFile file) {
        var store = KeyStore.getInstance(file.type());
        try (InputStream in = Files.newInputStream(file.path())) {
          store.load(in, file.password() == null ? null : file.password().toCharArray());
        }
        return trusting(store);
      }
      if (trust instanceof TrustConfig.PemCertificates pem) {
        var store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int index = 0;
        try (InputStream in = Files.newInputStream(pem.path())) {
          for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("trusted-" + index++, certificate);
          }
        }
        if (index == 0) {
          throw new ConfigException("--trust-cert-pem: " + pem.path() + " holds no certificate");
        }
        return trusting(store);
      }
      return null;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("the trust settings (" + trust + ") cannot be used: " + e.getMessage(), e);
    }
  }

  private static SSLSocketFactory trusting(KeyStore store) throws GeneralSecurityException {
    var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    var context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context.getSocketFactory();
  }
}
