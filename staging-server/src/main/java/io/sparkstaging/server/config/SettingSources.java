package io.sparkstaging.server.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option values that the command line left out: first from the environment, then from
 * the properties file. The original server's ConfigMap keys are translated to option names, so
 * its users can switch without rewriting their configuration.
 */
final class SettingSources implements IDefaultValueProvider {
  static final String ENV_PREFIX = "STAGING_";
  private static final String SSL = "spark.ssl.kubernetes.resourceStagingServer.";
  static final Map<String, String> ORIGINAL_KEYS = Map.ofEntries(
      Map.entry("spark.kubernetes.resourceStagingServer.port", "port"),
      Map.entry(SSL + "enabled", "tls-enabled"),
      Map.entry(SSL + "keyStore", "tls-keystore"),
      Map.entry(SSL + "keyStoreType", "tls-keystore-type"),
      Map.entry(SSL + "keyStorePassword", "tls-keystore-password"),
      Map.entry(SSL + "keyStorePasswordFile", "tls-keystore-password-file"),
      Map.entry(SSL + "keyPassword", "tls-key-password"),
      Map.entry(SSL + "keyPasswordFile", "tls-key-password-file"),
      Map.entry(SSL + "keyPem", "tls-key-pem"),
      Map.entry(SSL + "serverCertPem", "tls-cert-pem"));

  private final Map<String, String> environment;
  private final Map<String, String> fileSettings;

  /** @param fileSettings the properties file, keyed by option name (see {@link #fromProperties}) */
  SettingSources(Map<String, String> environment, Map<String, String> fileSettings) {
    this.environment = environment;
    this.fileSettings = fileSettings;
  }

  /**
   * Keys the server knows, translated to option names. Unknown keys are returned in {@code
   * ignored} so that the caller can warn: a typo must not pass silently.
   */
  static Map<String, String> fromProperties(Properties properties, Set<String> optionNames, Set<String> ignored) {
    var settings = new HashMap<String, String>();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      String option = ORIGINAL_KEYS.getOrDefault(key, key);
      if (optionNames.contains(option)) {
        settings.put(option, properties.getProperty(key).strip());
      } else {
        ignored.add(key);
      }
    }
    return settings;
  }

  static String environmentName(String option) {
    return ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName().substring(2);
    String fromEnvironment = environment.get(environmentName(name));
    return fromEnvironment != null ? fromEnvironment : fileSettings.get(name);
  }
}
