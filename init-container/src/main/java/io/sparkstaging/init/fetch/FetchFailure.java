package io.sparkstaging.init.fetch;

import java.io.IOException;

/** A download that did not succeed, and whether trying again could help. */
public final class FetchFailure extends IOException {
  /** Why it failed, which decides the exit code. */
  public enum Kind {
    /** Connection errors and 5xx answers, retried until the deadline; then reported as this. */
    NETWORK,
    /** The server refused for good (401, 403, 404, 400...): wrong secret or id, or a bad URI. */
    REFUSED,
    /** The deadline passed. */
    TIMEOUT
  }

  private final Kind kind;
  private final boolean routeUnknown;

  public FetchFailure(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, false);
  }

  private FetchFailure(Kind kind, String message, Throwable cause, boolean routeUnknown) {
    super(message, cause);
    this.kind = kind;
    this.routeUnknown = routeUnknown;
  }

  /** A 404 from a server that is not this project's (its answer lacks {@code Spark-Staging-Api}): it does not know the route. */
  static FetchFailure routeUnknown(String message) {
    return new FetchFailure(Kind.REFUSED, message, null, true);
  }

  public FetchFailure(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the server knows no such route, rather than no such bundle: the original server and a v1 route. */
  public boolean routeUnknown() {
    return routeUnknown;
  }

  public boolean retryable() {
    return kind == Kind.NETWORK;
  }
}
