package io.sparkstaging.server.errors;

import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * Every way a request can fail, with the HTTP status and the stable machine-readable code that
 * goes into the {@code error} field of the JSON error body.
 */
public enum Problem {
  BAD_REQUEST(400, "bad_request"),
  UPLOAD_INTERRUPTED(400, "upload_interrupted"),
  DIGEST_MISMATCH(400, "digest_mismatch"),
  UNAUTHORIZED(401, "unauthorized"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  TOO_SLOW(408, "request_timeout"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  QUOTA_EXCEEDED(413, "quota_exceeded"),
  RANGE_NOT_SATISFIABLE(416, "range_not_satisfiable"),
  TOO_MANY_REQUESTS(429, "too_many_requests"),
  INTERNAL_ERROR(500, "internal_error"),
  UNAVAILABLE(503, "unavailable"),
  INSUFFICIENT_STORAGE(507, "insufficient_storage");

  private final int status;
  private final String code;

  Problem(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /**
   * The code for a status raised by the HTTP stack itself (Jetty or Jersey), where no {@link
   * Problem} was chosen: the first problem declared with that status (so declare the general one
   * first), else derived from the standard reason phrase, e.g. 415 gives {@code
   * unsupported_media_type}.
   */
  public static String codeForStatus(int status) {
    for (Problem problem : values()) {
      if (problem.status == status) {
        return problem.code;
      }
    }
    Response.StatusType known = Response.Status.fromStatusCode(status);
    String reason = known != null ? known.getReasonPhrase() : "status " + status;
    return reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }
}
