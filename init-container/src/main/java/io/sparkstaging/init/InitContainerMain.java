package io.sparkstaging.init;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.init.config.InitConfig;
import io.sparkstaging.init.config.InitConfigLoader;
import io.sparkstaging.init.run.InitRun;
import io.sparkstaging.init.verify.DigestWarmUp;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/**
 * Entry point. Exit codes: 0 everything in place; 2 configuration error; 3 download failed; 4
 * content rejected (verification or unsafe archive); 5 time limit exceeded; 6 local I/O error.
 */
public final class InitContainerMain {
  private InitContainerMain() {}

  public static void main(String[] args) {
    DigestWarmUp.start();
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** The whole program without {@code System.exit}, so that tests can run it in-process. */
  public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    try {
      Optional<InitConfig> config = InitConfigLoader.load(args, environment, new PrintWriter(out, true),
          ignored -> err.println("init-container: warning: ignoring settings it does not use: " + ignored));
      return config.isEmpty() ? InitRun.OK : new InitRun(config.get(), out, err).run();
    } catch (ConfigException e) {
      err.println("init-container: configuration error: " + e.getMessage());
      return InitRun.CONFIG;
    } catch (java.io.UncheckedIOException e) {
      err.println("init-container: failed: " + e.getMessage() + ": " + e.getCause().getMessage());
      return InitRun.LOCAL_IO;
    }
  }
}
