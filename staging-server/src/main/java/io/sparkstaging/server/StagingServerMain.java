package io.sparkstaging.server;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.server.config.ConfigLoader;
import io.sparkstaging.server.config.ServerConfig;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.logging.LogFormats;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.BundleStores;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Reads the configuration, opens the store, starts the server, and stops both on SIGTERM. */
public final class StagingServerMain {
  private static final Logger log = LoggerFactory.getLogger(StagingServerMain.class);
  static final int EXIT_CONFIG = 2;
  static final int EXIT_START = 3;

  private StagingServerMain() {}

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Optional<ServerConfig> loaded;
    try {
      loaded = ConfigLoader.load(args, System.getenv(), new PrintWriter(System.out, true));
    } catch (ConfigException e) {
      System.err.println("staging-server: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    if (loaded.isEmpty()) {
      return;
    }
    ServerConfig config = loaded.get();
    LogFormats.apply(config.logFormat());
    try {
      Clock clock = Clock.systemUTC();
      BundleStore store = BundleStores.open(config, clock);
      StagingServer server = StagingServer.start(config, store, clock, System.getenv());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, store), "staging-shutdown"));
      log.info("Staging server started: {}", config.summary(server.port()));
      server.watchedCluster().ifPresentOrElse(
          master -> log.info("Watching Spark pods and namespaces at {}: bundles whose owner pods are gone are deleted", master),
          () -> log
              .info("No Kubernetes cluster is watched: bundles are deleted only when they expire or their secret holder deletes them"));
      if (config.uploadAuth().mode() == UploadAuthConfig.Mode.none && !isLoopback(config.host())) {
        log.warn("Uploads are not authenticated and the server listens on {}: anyone who reaches it can store bundles "
            + "(set --upload-auth token for shared clusters)", config.host());
      }
      server.join();
    } catch (ConfigException e) {
      System.err.println("staging-server: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
    } catch (Exception e) {
      log.error("Staging server failed to start", e);
      System.err.println("staging-server: cannot start: " + e);
      System.exit(EXIT_START);
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void stop(StagingServer server, BundleStore store) {
    log.info("Stopping: no new connections; in-flight transfers may finish");
    try {
      server.close();
      store.close();
    } catch (Exception e) {
      log.warn("Unclean stop", e);
    }
    log.info("Stopped");
  }
}
