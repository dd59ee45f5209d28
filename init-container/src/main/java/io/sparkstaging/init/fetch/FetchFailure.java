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

  public FetchFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public FetchFailure(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind == Kind.NETWORK;
  }
}
