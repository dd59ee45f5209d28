package io.sparkstaging.common.tls;

import java.nio.file.Path;

/** Which certificates a client trusts for https to the staging server. */
public sealed interface TrustConfig {
  /** The JVM's default trust store. */
  record SystemDefault() implements TrustConfig {}

  record TrustStoreFile(Path path, String type, String password) implements TrustConfig {
    @Override
    public String toString() {
      return "TrustStoreFile[" + path + ", " + type + ", password redacted]";
    }
  }

  /** One or more PEM certificates (a CA or the server's own), as the original {@code clientCertPem}. */
  record PemCertificates(Path path) implements TrustConfig {}
}
