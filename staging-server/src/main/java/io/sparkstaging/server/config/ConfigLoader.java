package io.sparkstaging.server.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** Builds the {@link ServerConfig} from the command line, the environment and the properties file. */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {}

  /**
   * @return the configuration, or empty if the command line only asked for help or the version
   *     (which were printed to {@code out})
   * @throws ConfigException naming the setting that is wrong
   */
  public static Optional<ServerConfig> load(String[] args, Map<String, String> environment, PrintWriter out) {
    // The file named on the command line supplies defaults for the other options, so it is found
    // in a first pass, then the command line is parsed again with the file and environment behind it.
    var firstPass = new ServerCommand();
    var commandLine = new CommandLine(firstPass);
    try {
      commandLine.parseArgs(args);
    } catch (ParameterException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    if (commandLine.isUsageHelpRequested()) {
      commandLine.usage(out);
      return Optional.empty();
    }
    if (commandLine.isVersionHelpRequested()) {
      commandLine.printVersionHelp(out);
      return Optional.empty();
    }
    Set<String> optionNames = commandLine.getCommandSpec().options().stream()
        .map(OptionSpec::longestName).map(name -> name.substring(2)).collect(Collectors.toSet());
    Map<String, String> fileSettings = firstPass.propertiesFile == null ? Map.of() : readFile(firstPass.propertiesFile, optionNames);

    var command = new ServerCommand();
    var secondPass = new CommandLine(command).setDefaultValueProvider(new SettingSources(environment, fileSettings));
    try {
      secondPass.parseArgs(args);
    } catch (ParameterException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    return Optional.of(command.toConfig());
  }

  private static Map<String, String> readFile(Path file, Set<String> optionNames) {
    var properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("properties file " + file.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
    }
    Set<String> ignored = new TreeSet<>();
    Map<String, String> settings = SettingSources.fromProperties(properties, optionNames, ignored);
    if (!ignored.isEmpty()) {
      log.warn("Ignoring settings this server does not use in {}: {}", file, ignored);
    }
    return settings;
  }
}
