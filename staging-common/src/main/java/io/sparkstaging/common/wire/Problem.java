package io.sparkstaging.common.wire;

import java.util.Optional;

/**
 * Every way the server says a request failed: the HTTP status, and the stable code in the {@code
 * error} field of the {@link ErrorBody} that comes with it. Statuses the HTTP stack raises itself
 * (405, 415, 431…) come with a code made from their reason phrase.
 */
public enum Problem {
  BAD_REQUEST(400, "bad_request"),
  UPLOAD_INTERRUPTED(400, "upload_interrupted"),
  DIGEST_MISMATCH(400, "digest_mismatch"),
  UNAUTHORIZED(401, "unauthorized"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  TOO_SLOW(408, "request_timeout"),
  /** A manifest lists files the namespace does not hold (any more): ask which, upload them, and commit again. */
  BLOBS_MISSING(409, "blobs_missing"),
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

  /** The general problem of a status, declared first among those that share it. */
  public static Optional<Problem> forStatus(int status) {
    for (Problem problem : values()) {
      if (problem.status == status) {
        return Optional.of(problem);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the same request may succeed later: the server or a proxy failed or was busy (5xx,
   * 429), or the request was too slow (408). Any other failure repeats however often it is sent.
   */
  public static boolean isRetryable(int status) {
    return status >= 500 || status == 408 || status == 429;
  }
}
