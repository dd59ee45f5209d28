package io.sparkstaging.init.fetch;

import java.time.Duration;

/** The moment the whole run must be over by. */
public record Deadline(long endNanos) {
  public static Deadline in(Duration duration) {
    return new Deadline(System.nanoTime() + duration.toNanos());
  }

  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
  }

  public boolean passed() {
    return System.nanoTime() - endNanos >= 0;
  }
}
