package io.sparkstaging.submit.cli;

import io.sparkstaging.submit.SubmitClientMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the client in-process, with an environment of the test's choosing, and keeps what it printed. */
final class Submitter {
  record Run(int code, String out, String err) {}

  private final Map<String, String> environment;

  Submitter(Map<String, String> environment) {
    this.environment = environment;
  }

  Run run(String... args) {
    return run(new ByteArrayOutputStream(), args);
  }

  /** @param out receives stdout as the command runs */
  Run run(ByteArrayOutputStream out, String... args) {
    return run(out, new ByteArrayOutputStream(), args);
  }

  /** @param out and {@code err} receive stdout and stderr as the command runs */
  Run run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    int code = SubmitClientMain.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
