package io.sparkstaging.common.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies the option values the command line left out: first from the environment ({@code
 * PREFIX} plus the option name in upper case), then from the properties file (the option name
 * without dashes, or an original apache-spark-on-k8s key that maps to it).
 */
final class SettingSources implements IDefaultValueProvider {
  private final String environmentPrefix;
  private final Map<String, String> environment;
  private final Map<String, String> fileSettings;

  SettingSources(String environmentPrefix, Map<String, String> environment, Map<String, String> fileSettings) {
    this.environmentPrefix = environmentPrefix;
    this.environment = environment;
    this.fileSettings = fileSettings;
  }

  /**
   * The file's settings keyed by option name. When several keys set one option, the option's own
   * name wins, then the original keys in the order {@code originalKeys} iterates them. Keys that
   * name no option are added to {@code ignored}, so that the caller can warn: a typo must not
   * pass silently.
   */
  static Map<String, String> fromProperties(Properties properties, Set<String> optionNames, Map<String, String> originalKeys,
      Set<String> ignored) {
    var settings = new HashMap<String, String>();
    for (String key : properties.stringPropertyNames()) {
      if (optionNames.contains(key)) {
        settings.put(key, properties.getProperty(key).strip());
      } else if (!originalKeys.containsKey(key)) {
        ignored.add(key);
      }
    }
    originalKeys.forEach((key, option) -> {
      if (properties.containsKey(key) && optionNames.contains(option)) {
        settings.putIfAbsent(option, properties.getProperty(key).strip());
      }
    });
    return settings;
  }

  static String environmentName(String prefix, String option) {
    return prefix + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String name = option.longestName().substring(2);
    String fromEnvironment = environment.get(environmentName(environmentPrefix, name));
    return fromEnvironment != null ? fromEnvironment : fileSettings.get(name);
  }
}
