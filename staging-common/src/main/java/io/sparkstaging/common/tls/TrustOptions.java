package io.sparkstaging.common.tls;

import io.sparkstaging.common.config.ConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The trust options for https to a staging server: a picocli mixin for the commands declared with
 * annotations, and the same options ({@link #addTo}) for a command built with picocli's
 * programmatic API, the init-container's, whose every start reading annotations would slow.
 */
public final class TrustOptions {
  private static final String STORE = "--trust-store";
  private static final String STORE_HELP = "Trust store (PKCS12 or JKS) for https to the staging server.";
  private static final String PASSWORD = "--trust-store-password";
  private static final String PASSWORD_HELP = "Trust store password.";
  private static final String TYPE = "--trust-store-type";
  private static final String TYPE_DEFAULT = "PKCS12";
  private static final String TYPE_HELP = "Trust store type. Default: ${DEFAULT-VALUE} (also reads JKS).";
  private static final String PEM = "--trust-cert-pem";
  private static final String PEM_HELP = "PEM certificate(s) to trust for https, instead of a trust store.";

  @Option(names = STORE, paramLabel = "FILE", description = STORE_HELP)
  Path trustStore;

  @Option(names = PASSWORD, paramLabel = "PASSWORD", description = PASSWORD_HELP)
  String trustStorePassword;

  @Option(names = TYPE, paramLabel = "TYPE", defaultValue = TYPE_DEFAULT, description = TYPE_HELP)
  String trustStoreType;

  @Option(names = PEM, paramLabel = "FILE", description = PEM_HELP)
  Path trustCertPem;

  /** Adds the options to a command built by hand; {@link #from} reads what a parse found. */
  public static void addTo(CommandSpec spec) {
    spec.addOption(OptionSpec.builder(STORE).type(Path.class).paramLabel("FILE").description(STORE_HELP).build());
    spec.addOption(OptionSpec.builder(PASSWORD).type(String.class).paramLabel("PASSWORD").description(PASSWORD_HELP).build());
    spec.addOption(
        OptionSpec.builder(TYPE).type(String.class).paramLabel("TYPE").defaultValue(TYPE_DEFAULT).description(TYPE_HELP).build());
    spec.addOption(OptionSpec.builder(PEM).type(Path.class).paramLabel("FILE").description(PEM_HELP).build());
  }

  /** The options {@link #addTo} added, as a parse of {@code parsed} set them. */
  public static TrustOptions from(CommandSpec parsed) {
    var options = new TrustOptions();
    options.trustStore = parsed.findOption(STORE).getValue();
    options.trustStorePassword = parsed.findOption(PASSWORD).getValue();
    options.trustStoreType = parsed.findOption(TYPE).getValue();
    options.trustCertPem = parsed.findOption(PEM).getValue();
    return options;
  }

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
