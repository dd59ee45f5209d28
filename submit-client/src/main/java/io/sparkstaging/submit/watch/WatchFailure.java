package io.sparkstaging.submit.watch;

import java.io.IOException;

/** Following the driver stopped before it finished: the pod was deleted or the watch broke for good. */
public final class WatchFailure extends IOException {
  public WatchFailure(String message) {
    super(message);
  }
}
