package io.sparkstaging.common.tls;

import io.sparkstaging.common.config.ConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The trust options for https to a staging server, one picocli mixin for every command that has them. */
public final class TrustOptions {
  @Option(names = "--trust-store", description = "Trust store (PKCS12 or JKS) for https to the staging server.")
  Path trustStore;

  @Option(names = "--trust-store-password", description = "Trust store password.")
  String trustStorePassword;

  @Option(names = "--trust-store-type", defaultValue = "PKCS12",
      description = "Trust store type. Default: ${DEFAULT-VALUE} (also reads JKS).")
  String trustStoreType;

  @Option(names = "--trust-cert-pem", description = "PEM certificate(s) to trust for https, instead of a trust store.")
  Path trustCertPem;

  /** @throws ConfigException when both a trust store and PEM certificates are given */
  public TrustConfig toTrustConfig() {
    if (trustStore != null && trustCertPem != null) {
      throw new ConfigException("give --trust-store or --trust-cert-pem, not both");
    }
    if (trustStore != null) {
      return new TrustConfig.TrustStoreFile(trustStore, trustStoreType, trustStorePassword);
    }
    return trustCertPem != null ? new TrustConfig.PemCertificates(trustCertPem) : new TrustConfig.SystemDefault();
  }
}
