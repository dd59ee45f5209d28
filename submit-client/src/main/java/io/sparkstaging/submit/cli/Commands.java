package io.sparkstaging.submit.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command and its subcommands. */
@Command(name = "spark-staging", mixinStandardHelpOptions = true, versionProvider = Version.class,
    subcommands = {StageCommand.class, AppCommands.Status.class, AppCommands.Logs.class, AppCommands.Kill.class},
    description = "Stages local Spark dependencies and submits Spark applications to Kubernetes.")
public final class Commands implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** @param environment the submitter's environment: SPARK_CONF_DIR, SPARK_HOME, PYSPARK_PYTHON… */
  public static CommandLine commandLine(Map<String, String> environment) {
    var commandLine = new CommandLine(new Commands());
    var submit = new CommandLine(new SubmitCommand(environment));
    // As with spark-submit, everything after the primary resource belongs to the application.
    submit.setStopAtPositional(true);
    commandLine.addSubcommand("submit", submit);
    var sparkSubmit = new CommandLine(new SparkSubmitCommand(environment));
    // Everything it does not know is spark-submit's, options included.
    sparkSubmit.setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
    commandLine.addSubcommand("spark-submit", sparkSubmit);
    commandLine.addSubcommand("sparkapp", new CommandLine(new SparkAppCommand(environment)));
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
