package io.sparkstaging.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.sparkstaging.server.config.ServerConfig;
import io.sparkstaging.server.logging.AccessLog;
import io.sparkstaging.server.logging.RequestIdHandler;
import io.sparkstaging.server.metrics.ServerMetrics;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.servlet.ServletContainer;

/** Builds the Jetty server: one connector (HTTP or HTTPS), bounded headers, timeouts, graceful stop. */
public final class HttpServerFactory {
  private static final int REQUEST_HEADER_BYTES = 8 * 1024;
  private static final int MAX_THREADS = 200;
  private static final long SHUTDOWN_IDLE_MILLIS = 2000;
  /**
   * The largest buffer the server's pool keeps for reuse. Jetty's default pool keeps nothing over
   * 64 KiB and allocated a fresh direct buffer for every 128 KiB download read: the allocation
   * and its garbage cost more than the bytes (bench/run, scenarios fanout and small).
   */
  public static final int LARGEST_POOLED_BUFFER = 128 * 1024;
  /**
   * How much one read from a connection may take: more than Jetty's default 8 KiB, which made
   * uploads slower (docs/benchmarks.md). The buffer is pooled and held only while a read is handled.
   */
  private static final int UPLOAD_READ_BUFFER = 64 * 1024;

  private HttpServerFactory() {}

  /**
   * @param front handlers that answer before Jersey (the download path); built around the Jersey
   *     handler given to it
   * @param metrics where request, connection and thread-pool metrics go
   */
  public static Server create(ServerConfig config, JerseyApplication jersey, UnaryOperator<Handler> front, MeterRegistry metrics) {
    var threads = new QueuedThreadPool(MAX_THREADS);
    threads.setName("staging-http");
    var server = new Server(threads, null, bufferPool());

    var http = new HttpConfiguration();
    http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
    http.setSendServerVersion(false);
    http.addCustomizer(new FaultyFramingCustomizer());
    if (!config.trustedProxies().isEmpty()) {
      http.addCustomizer(new TrustedProxies(config.trustedProxies()));
    }

    var connector = new ServerConnector(server, connectionFactories(config, http));
    connector.setName(config.tls().isPresent() ? "https" : "http");
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    // Jetty's default of 50 resets bursts of new connections (pods starting together) before they are accepted.
    connector.setAcceptQueueSize(config.acceptQueue());
    // On shutdown, connections quiet for this long (idle keep-alives) are closed at once, so they
    // do not hold the stop for the whole grace period; transfers still moving bytes carry on.
    connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
    server.addConnector(connector);

    var servlets = new ServletContextHandler("/");
    servlets.addServlet(new ServletHolder("jersey", new ServletContainer(jersey)), "/*");
    servlets.setErrorHandler(new JsonErrorHandler());
    server.setHandler(new GracefulHandler(new RequestIdHandler(ServerMetrics.instrument(server, front.apply(servlets), metrics))));
    server.setRequestLog(AccessLog.create());
    server.setErrorHandler(new JsonErrorHandler());
    // On stop (SIGTERM included) the connector closes first, then in-flight requests get this long.
    server.setStopTimeout(config.shutdownGrace().toMillis());
    return server;
  }

  static ArrayByteBufferPool bufferPool() {
    return new ArrayByteBufferPool(0, -1, LARGEST_POOLED_BUFFER);
  }

  private static ConnectionFactory[] connectionFactories(ServerConfig config, HttpConfiguration http) {
    if (config.tls().isEmpty()) {
      return new ConnectionFactory[] {httpConnections(http)};
    }
    var https = new HttpConfiguration(http);
    https.addCustomizer(new SecureRequestCustomizer());
    var tls = new SslConnectionFactory(TlsContexts.serverFactory(config.tls().get()), HttpVersion.HTTP_1_1.asString());
    return new ConnectionFactory[] {tls, httpConnections(https)};
  }

  private static HttpConnectionFactory httpConnections(HttpConfiguration http) {
    var connections = new HttpConnectionFactory(http);
    connections.setInputBufferSize(UPLOAD_READ_BUFFER);
    return connections;
  }
}
