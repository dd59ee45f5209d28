package io.sparkstaging.init.fetch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, bounded by a deadline: many pods retrying against one
 * server spread out instead of arriving in waves.
 */
public final class RetryPolicy {
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final Deadline deadline;
  private int attempts;

  public RetryPolicy(Duration firstDelay, Duration maxDelay, Deadline deadline) {
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
    this.deadline = deadline;
  }

  /** Waits before the next attempt, or throws once the deadline would pass during the wait. */
  public void pauseAfter(FetchFailure failure) throws FetchFailure {
    if (!failure.retryable()) {
      throw failure;
    }
    long ceiling = Math.min(maxDelay.toMillis(), firstDelay.toMillis() << Math.min(attempts++, 20));
    long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    if (deadline.remaining().toMillis() <= delay) {
      throw new FetchFailure(FetchFailure.Kind.TIMEOUT,
          "gave up after " + attempts + " attempts within the time limit; last error: " + failure.getMessage(), failure);
    }
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchFailure(FetchFailure.Kind.TIMEOUT, "interrupted while waiting to retry", e);
    }
  }

  public int attempts() {
    return attempts;
  }
}
