package io.sparkstaging.submit.apply;

import java.io.IOException;

/** The API server refused an object; the message names the object and the server's reason. */
public final class SubmitFailure extends IOException {
  public SubmitFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
