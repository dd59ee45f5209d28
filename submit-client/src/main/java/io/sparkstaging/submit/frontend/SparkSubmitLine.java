package io.sparkstaging.submit.frontend;

import io.sparkstaging.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A spark-submit command line, read with spark-submit's own grammar (Spark's
 * {@code SparkSubmitOptionParser}): options that take a value ({@code --jars x} or
 * {@code --jars=x}), switches, then the primary resource, and everything after it for the
 * application.
 *
 * @param options the options in the order given, each under its canonical name
 * @param primary the primary resource, or null (for {@code --status}, {@code --version}…)
 */
public record SparkSubmitLine(List<Option> options, String primary, List<String> appArgs) {
  /** One option; {@code value} is null for a switch. */
  public record Option(String name, String value) {}

  private static final Pattern EQUALS = Pattern.compile("(--[^=]+)=(.+)");
  private static final List<String> WITH_VALUE = List.of("--archives", "--class", "--conf", "--deploy-mode", "--driver-class-path",
      "--driver-cores", "--driver-java-options", "--driver-library-path", "--driver-memory", "--executor-cores", "--executor-memory",
      "--files",
      "--jars", "--keytab", "--kill", "--master", "--remote", "--name", "--num-executors", "--packages", "--exclude-packages",
      "--principal",
      "--properties-file", "--proxy-user", "--py-files", "--queue", "--repositories", "--status", "--total-executor-cores");
  private static final List<String> SWITCHES = List.of("--help", "--supervise", "--usage-error", "--verbose", "--version");
  private static final Map<String, String> ALIASES = Map.of("-c", "--conf", "-h", "--help", "-v", "--verbose");

  public SparkSubmitLine {
    options = List.copyOf(options);
    appArgs = List.copyOf(appArgs);
  }

  /** @throws ConfigException for an option spark-submit does not know, or one missing its value */
  public static SparkSubmitLine parse(List<String> args) {
    var options = new ArrayList<Option>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      Matcher equals = EQUALS.matcher(arg);
      if (equals.matches()) {
        arg = equals.group(1);
        value = equals.group(2);
      }
      String name = ALIASES.getOrDefault(arg, arg);
      if (WITH_VALUE.contains(name)) {
        if (value == null) {
          if (i == args.size() - 1) {
            throw new ConfigException("spark-submit option " + arg + " needs a value");
          }
          value = args.get(++i);
        }
        options.add(new Option(name, value));
      } else if (SWITCHES.contains(name) && value == null) {
        options.add(new Option(name, null));
      } else if (args.get(i).startsWith("-")) {
        throw new ConfigException("spark-submit has no option " + args.get(i));
      } else {
        return new SparkSubmitLine(options, args.get(i), args.subList(i + 1, args.size()));
      }
    }
    return new SparkSubmitLine(options, null, List.of());
  }

  /** The last value of an option, as spark-submit takes it; null if not given. */
  public String last(String name) {
    String found = null;
    for (Option option : options) {
      if (option.name().equals(name)) {
        found = option.value();
      }
    }
    return found;
  }

  public boolean has(String name) {
    return options.stream().anyMatch(option -> option.name().equals(name));
  }

  /** The command line again, as arguments. */
  public List<String> toArgs() {
    var args = new ArrayList<String>();
    for (Option option : options) {
      args.add(option.name());
      if (option.value() != null) {
        args.add(option.value());
      }
    }
    if (primary != null) {
      args.add(primary);
      args.addAll(appArgs);
    }
    return args;
  }
}
