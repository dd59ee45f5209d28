package io.sparkstaging.submit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command and its subcommands. */
@Command(name = "submit-client", mixinStandardHelpOptions = true, subcommands = StageCommand.class,
    description = "Stages local Spark dependencies on the staging server.")
public final class Commands implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    return new CommandLine(new Commands());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
