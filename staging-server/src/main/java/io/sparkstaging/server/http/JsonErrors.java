package io.sparkstaging.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.server.errors.StagingException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Renders {@link ErrorBody} for the parts of the server that answer outside Jersey. */
public final class JsonErrors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonErrors() {}

  public static byte[] render(String code, String message) {
    try {
      return MAPPER.writeValueAsBytes(new ErrorBody(code, message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ErrorBody always serializes", e);
    }
  }

  public static void write(Response response, Callback callback, StagingException error) {
    response.setStatus(error.problem().status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(render(error.problem().code(), error.getMessage())), callback);
  }
}
