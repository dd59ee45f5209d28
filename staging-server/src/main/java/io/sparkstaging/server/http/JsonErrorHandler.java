package io.sparkstaging.server.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors raised by Jetty itself (a header too large, a malformed request line, an idle timeout)
 * get the same JSON shape as the API's own, never an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    // Jetty's message for a failure is the exception's text: for the log, not the client.
    String text = code >= 500 && (cause != null || code == HttpStatus.INTERNAL_SERVER_ERROR_500) ? Incidents.report(cause)
        : code >= 500 || message == null ? HttpStatus.getMessage(code) : message;
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(JsonErrors.render(JsonErrors.codeForStatus(code), text)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(JsonErrors.render(JsonErrors.codeForStatus(status),
        reason != null && status < 500 ? reason : HttpStatus.getMessage(status)));
  }
}
