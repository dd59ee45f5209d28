package io.sparkstaging.submit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command and its subcommands. */
@Command(name = "submit-client", mixinStandardHelpOptions = true, subcommands = {StageCommand.class, SubmitCommand.class, AppCommands.Status.class, AppCommands.Logs.class, AppCommands.Kill.class},
    description = "Stages local Spark dependencies and submits Spark applications to Kubernetes.")
public final class Commands implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    var commandLine = new CommandLine(new Commands());
    // As with spark-submit, everything after the primary resource belongs to the application.
    commandLine.getSubcommands().get("submit").setStopAtPositional(true);
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
