package io.sparkstaging.submit.stage;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Properties;

/**
 * How long the client waits on the staging server: for a connection, then for each byte of an
 * answer. A server that accepts and then stops answering fails the staging after the second
 * instead of holding it for ever; the wait covers the server's longest work after a body, syncing
 * a large upload to disk. The JDK's own networking properties, {@code sun.net.client.defaultConnectTimeout}
 * and {@code sun.net.client.defaultReadTimeout} (milliseconds, 0 for no limit), win when set.
 *
 * @param connect how long a connection may take; zero for no limit
 * @param read how long the server may send nothing while an answer is awaited; zero for no limit
 */
record StagingTimeouts(Duration connect, Duration read) {
  static final Duration CONNECT = Duration.ofSeconds(30);
  static final Duration READ = Duration.ofMinutes(5);

  /** The defaults, or the JDK's properties where {@code system} sets them. */
  static StagingTimeouts from(Properties system) {
    return new StagingTimeouts(millis(system, "sun.net.client.defaultConnectTimeout", CONNECT),
        millis(system, "sun.net.client.defaultReadTimeout", READ));
  }

  private static Duration millis(Properties system, String name, Duration otherwise) {
    try {
      int value = Integer.parseInt(system.getProperty(name, "").trim());
      return value >= 0 ? Duration.ofMillis(value) : otherwise;
    } catch (NumberFormatException unset) {
      return otherwise;
    }
  }

  int connectMillis() {
    return (int) Math.min(Integer.MAX_VALUE, connect.toMillis());
  }

  int readMillis() {
    return (int) Math.min(Integer.MAX_VALUE, read.toMillis());
  }

  /**
   * An exception of a connection, with the limit that ended it when one did. The JDK names a
   * connection's timeout "Connect timed out"; any other is a wait for the server's bytes (a TLS
   * handshake's among them).
   */
  String explain(IOException e) {
    if (!(e instanceof SocketTimeoutException)) {
      return e.toString();
    }
    return "Connect timed out".equals(e.getMessage())
        ? "no connection within " + shown(connect)
            + " (-Dsun.net.client.defaultConnectTimeout=MILLIS in SPARK_STAGING_JAVA_OPTS waits longer)"
        : "it sent nothing for " + shown(read) + " (-Dsun.net.client.defaultReadTimeout=MILLIS in SPARK_STAGING_JAVA_OPTS waits longer)";
  }

  /** "5 min", "30 s" or "500 ms", as a person reads a limit. */
  private static String shown(Duration limit) {
    long millis = limit.toMillis();
    if (millis >= 60_000 && millis % 60_000 == 0) {
      return millis / 60_000 + " min";
    }
    return millis >= 1000 && millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
