package io.sparkstaging.common.config;

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
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Parses a picocli command whose options may also come from the environment and from a
 * properties file named on the command line. The command line wins over the environment, which
 * wins over the file, which wins over the built-in defaults.
 *
 * @param environmentPrefix e.g. {@code STAGING_}: {@code --data-dir} is then {@code STAGING_DATA_DIR}
 * @param originalKeys property keys of the original apache-spark-on-k8s programs, mapped to option
 *     names; where two keys set one option, the first in iteration order wins (use a LinkedHashMap)
 */
public record LayeredCommandLine(String environmentPrefix, Map<String, String> originalKeys) {

  /** The parsed command, and the keys of the properties file that no option uses. */
  public record Parsed<T>(T command, Set<String> ignoredKeys) {}

  /**
   * @param propertiesFile where the command keeps the positional properties file, if any
   * @return empty if the command line only asked for help or the version (printed to {@code out})
   * @throws ConfigException naming the option that is wrong
   */
  public <T> Optional<Parsed<T>> parse(Supplier<T> newCommand, Function<T, Path> propertiesFile, String[] args,
      Map<String, String> environment, PrintWriter out) {
    // The file named on the command line supplies defaults for the other options, so a first pass
    // finds it; the second pass parses again with the file and the environment behind it.
    T firstPass = newCommand.get();
    CommandLine first = new CommandLine(firstPass);
    parseArgs(first, args);
    if (first.isUsageHelpRequested()) {
      first.usage(out);
      return Optional.empty();
    }
    if (first.isVersionHelpRequested()) {
      first.printVersionHelp(out);
      return Optional.empty();
    }
    Set<String> optionNames = first.getCommandSpec().options().stream()
        .map(OptionSpec::longestName).map(name -> name.substring(2)).collect(Collectors.toSet());
    Set<String> ignored = new TreeSet<>();
    Path file = propertiesFile.apply(firstPass);
    Map<String, String> fileSettings =
        file == null ? Map.of() : SettingSources.fromProperties(read(file), optionNames, originalKeys, ignored);

    T command = newCommand.get();
    parseArgs(new CommandLine(command).setDefaultValueProvider(new SettingSources(environmentPrefix, environment, fileSettings)), args);
    return Optional.of(new Parsed<>(command, ignored));
  }

  private static void parseArgs(CommandLine commandLine, String[] args) {
    try {
      commandLine.parseArgs(args);
    } catch (ParameterException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private static Properties read(Path file) {
    var properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("properties file " + file.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
    }
    return properties;
  }
}
