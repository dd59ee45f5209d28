package io.sparkstaging.server.http;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.server.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Turns a {@link TlsConfig} into Jetty's server-side TLS factory. */
final class TlsContexts {
  private TlsContexts() {}

  static SslContextFactory.Server serverFactory(TlsConfig tls) {
    var factory = new SslContextFactory.Server();
    if (tls instanceof TlsConfig.KeyStoreFile store) {
      factory.setKeyStorePath(store.path().toAbsolutePath().toString());
      factory.setKeyStoreType(store.type());
      factory.setKeyStorePassword(store.password());
      factory.setKeyManagerPassword(store.keyPassword());
    } else if (tls instanceof TlsConfig.PemFiles pem) {
      // The key store exists only in memory, so its password protects nothing and is random.
      String password = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(24));
      factory.setKeyStore(keyStoreFromPem(pem, password.toCharArray()));
      factory.setKeyStorePassword(password);
      factory.setKeyManagerPassword(password);
    }
    return factory;
  }

  private static KeyStore keyStoreFromPem(TlsConfig.PemFiles pem, char[] password) {
    try {
      var store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", readPrivateKey(pem.privateKey()), password, readCertificates(pem.certificateChain()));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          "TLS PEM files " + pem.privateKey() + " and " + pem.certificateChain() + " cannot be used: " + e.getMessage(), e);
    }
  }

  private static PrivateKey readPrivateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      var converter = new JcaPEMKeyConverter();
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new ConfigException("--tls-key-pem: " + file + " holds no unencrypted private key"
          + (object == null ? "" : " (found " + object.getClass().getSimpleName() + ")"));
    }
  }

  private static Certificate[] readCertificates(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
      if (chain.length == 0) {
        throw new ConfigException("--tls-cert-pem: " + file + " holds no certificate");
      }
      return chain;
    }
  }
}
