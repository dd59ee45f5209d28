package io.sparkstaging.server.logging;

import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;

/**
 * One line per request on the {@code access} logger. It names no header but User-Agent and the
 * request id: secrets travel only in {@code Authorization}, never in a URL, so none is written.
 */
public final class AccessLog {
  static final String LOGGER = "access";
  /** Client, request line, status, bytes out and in, time taken, user agent, request id. */
  static final String FORMAT = "%{client}a \"%r\" %s %O %I %{ms}Tms \"%{User-Agent}i\" " + "%{" + RequestIdHandler.HEADER + "}o";

  private AccessLog() {}

  public static RequestLog create() {
    var writer = new Slf4jRequestLogWriter();
    writer.setLoggerName(LOGGER);
    return new CustomRequestLog(writer, FORMAT);
  }
}
