package io.sparkstaging.server.logging;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;

/**
 * One line per request on the {@code access} logger. It names no header but User-Agent and the
 * request id, and writes a query string as {@code ?…}: secrets belong in {@code Authorization},
 * but a client that puts one in the URL must not have it kept in the log.
 */
public final class AccessLog {
  static final String LOGGER = "access";
  /** Client, request line, status, bytes out and in, time taken, user agent, request id. */
  static final String FORMAT = "%{client}a \"%r\" %s %O %I %{ms}Tms \"%{User-Agent}i\" " + "%{" + RequestIdHandler.HEADER + "}o";

  private AccessLog() {}

  public static RequestLog create() {
    var writer = new Slf4jRequestLogWriter();
    writer.setLoggerName(LOGGER);
    return new CustomRequestLog(writer, FORMAT) {
      @Override
      public void log(Request request, Response response) {
        super.log(withoutQuery(request), response);
      }
    };
  }

  private static Request withoutQuery(Request request) {
    HttpURI uri = request.getHttpURI();
    if (uri.getQuery() == null) {
      return request;
    }
    HttpURI redacted = HttpURI.build(uri).query("…").asImmutable();
    return new Request.Wrapper(request) {
      @Override
      public HttpURI getHttpURI() {
        return redacted;
      }
    };
  }
}
