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

  /** What ended a connection or a request body: the connection's limit, if it was that. */
  String whileSending(IOException e) {
    return e instanceof SocketTimeoutException ? "no connection within " + shown(connect)
        + " (-Dsun.net.client.defaultConnectTimeout=MILLIS in SPARK_STAGING_JAVA_OPTS waits longer)" : e.toString();
  }

  /** What ended the wait for an answer: the read limit, if it was that. */
  String whileAwaiting(IOException e) {
    return e instanceof SocketTimeoutException ? "it sent nothing for " + shown(read)
        + " (-Dsun.net.client.defaultReadTimeout=MILLIS in SPARK_STAGING_JAVA_OPTS waits longer)" : e.toString();
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
