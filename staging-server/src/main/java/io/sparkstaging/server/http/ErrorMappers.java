package io.sparkstaging.server.http;

import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure inside Jersey into the one JSON error shape. */
final class ErrorMappers {
  private static final Logger log = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  static Response json(int status, String code, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(code, message)).build();
  }

  /** Refusals the server chose: the message is written for the client. */
  static final class Staging implements ExceptionMapper<StagingException> {
    @Override
    public Response toResponse(StagingException e) {
      Problem problem = e.problem();
      if (problem == Problem.INTERNAL_ERROR) {
        return Unexpected.incident(e);
      }
      if (problem == Problem.UPLOAD_INTERRUPTED) {
        // Usually the client is gone and will never read this; worth a line, not a stack trace.
        log.info("Upload interrupted: {}", e.getCause() != null ? e.getCause().toString() : e.getMessage());
      }
      Response.ResponseBuilder response = Response.fromResponse(json(problem.status(), problem.code(), e.getMessage()));
      e.headers().forEach(response::header);
      return response.build();
    }
  }

  /** Jersey's own answers: unknown route (404), wrong method (405), unacceptable media type. */
  static final class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response original = e.getResponse();
      int status = original.getStatus();
      if (status >= 500) {
        return Unexpected.incident(e);
      }
      var builder = Response.fromResponse(json(status, JsonErrors.codeForStatus(status), original.getStatusInfo().getReasonPhrase()));
      original.getHeaders().forEach((name, values) -> {
        if (name.equalsIgnoreCase("Allow")) {
          values.forEach(value -> builder.header(name, value));
        }
      });
      return builder.build();
    }
  }

  /**
   * Anything else is a bug or an outage: the client gets an incident id, the log gets the same id
   * next to the stack trace, and nothing internal leaks.
   */
  static final class Unexpected implements ExceptionMapper<RuntimeException> {
    @Override
    public Response toResponse(RuntimeException e) {
      // Jetty reports a broken request body (bad chunking, early end) as an exception with a status.
      if (e instanceof HttpException http && http.getCode() < 500) {
        return json(http.getCode(), JsonErrors.codeForStatus(http.getCode()), http.getReason() != null ? http.getReason() : e.getMessage());
      }
      return incident(e);
    }

    static Response incident(Throwable e) {
      return json(500, Problem.INTERNAL_ERROR.code(), Incidents.report(e));
    }
  }
}
