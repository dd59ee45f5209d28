package io.sparkstaging.server.support;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.sparkstaging.server.StagingServer;
import io.sparkstaging.server.config.ServerConfig;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.BundleStores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.http.params.CoreProtocolPNames;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A real server, in this JVM, on an ephemeral port, over a data directory the test owns (or a
 * bucket of its own: see {@link TestStorage}).
 */
public final class TestServer implements AutoCloseable {
  static {
    // Jersey logs through java.util.logging; route it to the test log configuration.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    // Kept-alive idle client connections would make every server stop wait for the shutdown idle timeout.
    RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Connection", "close").build();
    // As real clients should: a request the server refuses before reading its body (auth, owner,
    // size, quota) is answered instead of "100 Continue", and its body is never sent. Without it the
    // client may still be writing when the refusal closes the connection, and see a broken pipe.
    RestAssured.config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
        .setParam(CoreProtocolPNames.USE_EXPECT_CONTINUE, true));
  }

  private final ServerConfig config;
  private final BundleStore store;
  private final StagingServer server;

  private TestServer(ServerConfig config, BundleStore store, StagingServer server) {
    this.config = config;
    this.store = store;
    this.server = server;
  }

  public static TestServer start(Path dataDir) throws Exception {
    return start(dataDir, settings -> {});
  }

  public static TestServer start(Path dataDir, Consumer<TestSettings> change) throws Exception {
    var settings = new TestSettings();
    change.accept(settings);
    return start(settings.toConfig(dataDir), settings.clock);
  }

  public static TestServer start(ServerConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  public static TestServer start(ServerConfig config, Clock clock) throws Exception {
    BundleStore store = BundleStores.open(config, clock);
    try {
      return new TestServer(config, store, StagingServer.start(config, store, clock, System.getenv()));
    } catch (Exception e) {
      store.close();
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  public String baseUri() {
    return (config.tls().isPresent() ? "https" : "http") + "://127.0.0.1:" + port();
  }

  public BundleStore store() {
    return store;
  }

  public ServerConfig config() {
    return config;
  }

  /** Objects stored, bundles and leftovers alike: zero when nothing was kept. */
  public long storedObjects() throws IOException {
    return TestStorage.storedObjects(config);
  }

  /** Uploads under way, or left behind by one that failed. */
  public long partialUploads() throws IOException {
    return TestStorage.partialUploads(config);
  }

  public Path dataDir() {
    return config.dataDir();
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      store.close();
    }
  }
}
