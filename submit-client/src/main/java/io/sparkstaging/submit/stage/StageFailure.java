package io.sparkstaging.submit.stage;

import java.io.IOException;

/** Staging did not work: the server could not be reached, or refused the bundle. */
public final class StageFailure extends IOException {
  public StageFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public StageFailure(String message) {
    super(message);
  }
}
