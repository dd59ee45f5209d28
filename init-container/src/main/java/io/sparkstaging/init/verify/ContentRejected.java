package io.sparkstaging.init.verify;

import java.io.IOException;

/** Content that arrived but must not be used: it does not match what the server announced, or the archive is unsafe. */
public final class ContentRejected extends IOException {
  public ContentRejected(String message) {
    super(message);
  }

  public ContentRejected(String message, Throwable cause) {
    super(message, cause);
  }
}
