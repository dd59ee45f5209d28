package io.sparkstaging.server.logging;

import io.sparkstaging.common.wire.Headers;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a plain token (a proxy's
 * or an ingress's), else a new one. It is echoed in the response, put in the access log, and set in
 * the logging context while the request is handled, so one id ties the client's error, the access
 * line and the server's own log lines together. Every answer also says which protocol version the
 * server speaks ({@link Headers#API}), so that a client can tell an unknown route from an unknown bundle.
 */
public final class RequestIdHandler extends Handler.Wrapper {
  public static final String HEADER = Headers.REQUEST_ID;
  public static final String MDC_KEY = "requestId";
  /** Anything else (too long, odd characters) could forge log lines, so it is replaced. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public RequestIdHandler(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String id = request.getHeaders().get(HEADER);
    if (id == null || !PLAIN.matcher(id).matches()) {
      id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
    response.getHeaders().put(HEADER, id);
    response.getHeaders().put(Headers.API, Headers.API_VERSION);
    MDC.put(MDC_KEY, id);
    try {
      return super.handle(request, response, callback);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }
}
