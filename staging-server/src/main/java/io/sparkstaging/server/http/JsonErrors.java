package io.sparkstaging.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Renders {@link ErrorBody} for the parts of the server that answer outside Jersey. */
public final class JsonErrors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonErrors() {}

  /**
   * The code for a status the HTTP stack raised itself (Jetty or Jersey), where no {@link Problem}
   * was chosen: the status's general problem, else its standard reason phrase in the codes' style,
   * e.g. 415 gives {@code unsupported_media_type}.
   */
  public static String codeForStatus(int status) {
    return Problem.forStatus(status).map(Problem::code).orElseGet(() -> {
      HttpStatus.Code known = HttpStatus.getCode(status);
      return known == null ? "status_" + status : known.getMessage().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    });
  }

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
    error.headers().forEach(response.getHeaders()::put);
    response.write(true, ByteBuffer.wrap(render(error.problem().code(), error.getMessage())), callback);
  }
}
