package io.sparkstaging.submit.cli;

import io.sparkstaging.common.config.HelpOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The top-level command and its subcommands. The top level is built with picocli's programmatic
 * API, as {@code stage} is, so that a {@code stage} reads no annotations (see {@link StageCommand}).
 */
public final class Commands implements Runnable {
  /** Each subcommand by name, made for the submitter's environment (SPARK_CONF_DIR, SPARK_HOME, PYSPARK_PYTHON…). */
  private static final Map<String, Function<Map<String, String>, CommandLine>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("stage", environment -> new CommandLine(StageCommand.spec()));
    SUBCOMMANDS.put("status", environment -> new CommandLine(new AppCommands.Status()));
    SUBCOMMANDS.put("logs", environment -> new CommandLine(new AppCommands.Logs()));
    SUBCOMMANDS.put("kill", environment -> new CommandLine(new AppCommands.Kill()));
    // As with spark-submit, everything after the primary resource belongs to the application.
    SUBCOMMANDS.put("submit", environment -> new CommandLine(new SubmitCommand(environment)).setStopAtPositional(true));
    // Everything it does not know is spark-submit's, options included.
    SUBCOMMANDS.put("spark-submit", environment -> new CommandLine(new SparkSubmitCommand(environment))
        .setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true));
    SUBCOMMANDS.put("sparkapp", environment -> new CommandLine(new SparkAppCommand(environment)));
  }

  private CommandSpec spec;

  private Commands() {}

  private static CommandLine topLevel() {
    var command = new Commands();
    command.spec = CommandSpec.wrapWithoutInspection(command).name("spark-staging").versionProvider(new Version());
    command.spec.usageMessage().description("Stages local Spark dependencies and submits Spark applications to Kubernetes.");
    HelpOptions.addTo(command.spec);
    return new CommandLine(command.spec);
  }

  /** Every subcommand: for the top-level help, and for checks of them all. */
  public static CommandLine commandLine(Map<String, String> environment) {
    var commandLine = topLevel();
    SUBCOMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, command.apply(environment)));
    return commandLine;
  }

  /**
   * Only the subcommand {@code args} name, when they start with one; every subcommand otherwise (help,
   * the version, a mistake). picocli builds each command's model by reflection on its options, and
   * leaving out those of {@code submit} and {@code spark-submit} takes a third off a short command's
   * start (docs/benchmarks.md, scenario 6).
   */
  public static CommandLine commandLine(Map<String, String> environment, String... args) {
    var named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
    if (named == null) {
      return commandLine(environment);
    }
    return topLevel().addSubcommand(args[0], named.apply(environment));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
