package io.sparkstaging.server.errors;

import io.sparkstaging.common.wire.Problem;
import java.util.Map;

/**
 * A request the server refuses for a reason it can name. The message goes to the client as is, so
 * it must never contain a secret.
 */
public class StagingException extends RuntimeException {
  private final Problem problem;

  public StagingException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public StagingException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  /** Headers the answer carries besides the JSON body, e.g. a challenge or a time to retry after. */
  public Map<String, String> headers() {
    return Map.of();
  }
}
