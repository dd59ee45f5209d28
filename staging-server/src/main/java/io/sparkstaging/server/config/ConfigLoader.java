package io.sparkstaging.server.config;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.config.LayeredCommandLine;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the {@link ServerConfig} from the command line, the environment and the properties file. */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  private static final String SSL = "spark.ssl.kubernetes.resourceStagingServer.";
  /** The original server's ConfigMap keys, so that its users can switch without rewriting configuration. */
  static final Map<String, String> ORIGINAL_KEYS = Map.ofEntries(
      Map.entry("spark.kubernetes.resourceStagingServer.port", "port"),
      Map.entry("spark.kubernetes.resourceStagingServer.initialAccessExpirationTimeout", "initial-access-expiration"),
      Map.entry("spark.kubernetes.resourceStagingServer.apiServer.url", "kubernetes-master"),
      Map.entry(SSL + "enabled", "tls-enabled"),
      Map.entry(SSL + "keyStore", "tls-keystore"),
      Map.entry(SSL + "keyStoreType", "tls-keystore-type"),
      Map.entry(SSL + "keyStorePassword", "tls-keystore-password"),
      Map.entry(SSL + "keyStorePasswordFile", "tls-keystore-password-file"),
      Map.entry(SSL + "keyPassword", "tls-key-password"),
      Map.entry(SSL + "keyPasswordFile", "tls-key-password-file"),
      Map.entry(SSL + "keyPem", "tls-key-pem"),
      Map.entry(SSL + "serverCertPem", "tls-cert-pem"));
  private static final LayeredCommandLine COMMAND_LINE = new LayeredCommandLine("STAGING_", ORIGINAL_KEYS);

  private ConfigLoader() {}

  /**
   * @return the configuration, or empty if the command line only asked for help or the version
   *     (which were printed to {@code out})
   * @throws ConfigException naming the setting that is wrong
   */
  public static Optional<ServerConfig> load(String[] args, Map<String, String> environment, PrintWriter out) {
    return COMMAND_LINE.parse(ServerCommand::new, command -> command.propertiesFile, args, environment, out)
        .map(parsed -> {
          if (!parsed.ignoredKeys().isEmpty()) {
            log.warn("Ignoring settings this server does not use in {}: {}", parsed.command().propertiesFile, parsed.ignoredKeys());
          }
          return parsed.command().toConfig();
        });
  }
}
