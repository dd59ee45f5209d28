package io.sparkstaging.server.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * RFC 9112 §6.1: an HTTP/1.0 request with {@code Transfer-Encoding} has faulty framing, whatever
 * else it says, and the server must close the connection once it has answered; otherwise a proxy
 * that frames it differently could smuggle a second request into it.
 */
final class FaultyFramingCustomizer implements HttpConfiguration.Customizer {
  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0
        && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      responseHeaders.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    return request;
  }
}
