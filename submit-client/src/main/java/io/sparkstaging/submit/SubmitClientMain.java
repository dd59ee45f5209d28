package io.sparkstaging.submit;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.submit.apply.SubmitFailure;
import io.sparkstaging.submit.cli.Commands;
import io.sparkstaging.submit.stage.StageFailure;
import io.sparkstaging.submit.watch.WatchFailure;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Entry point. Exit codes: 0 success (or, with {@code --wait}, the driver's own exit code); 2
 * usage or configuration error; 3 staging failed; 4 the API server refused an object; 5 the
 * driver could not be followed to its end.
 */
public final class SubmitClientMain {
  public static final int USAGE = 2;
  public static final int STAGING_FAILED = 3;
  public static final int SUBMIT_FAILED = 4;
  public static final int WATCH_FAILED = 5;

  private SubmitClientMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** The whole program without {@code System.exit}, so that tests can run it in-process. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  /** @param environment what the program takes for its environment */
  public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    var errors = new PrintWriter(err, true, StandardCharsets.UTF_8);
    return Commands.commandLine(environment, args)
        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
        .setErr(errors)
        .setExecutionExceptionHandler(new Failures(errors))
        .execute(args);
  }

  /**
   * The client's failures as one line and an exit code. A class, not a lambda: a lambda of picocli's
   * interface, which is compiled for Java 5, keeps the interface out of the launcher's class archive,
   * and it is then loaded and verified from the jar at every start (docs/benchmarks.md, scenario 6).
   */
  private record Failures(PrintWriter errors) implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) throws Exception {
      if (e instanceof ConfigException) {
        errors.println("submit-client: " + e.getMessage());
        return USAGE;
      }
      if (e instanceof StageFailure) {
        errors.println("submit-client: staging failed: " + e.getMessage());
        return STAGING_FAILED;
      }
      if (e instanceof WatchFailure) {
        errors.println("submit-client: " + e.getMessage());
        return WATCH_FAILED;
      }
      if (e instanceof SubmitFailure) {
        errors.println("submit-client: submission failed: " + e.getMessage() + "; everything created was deleted");
        return SUBMIT_FAILED;
      }
      throw e;
    }
  }
}
