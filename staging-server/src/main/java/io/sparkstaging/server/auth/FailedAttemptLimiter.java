package io.sparkstaging.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sparkstaging.server.errors.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Slows down guessing: after too many failed authentications from one address, that address waits out a window. */
public final class FailedAttemptLimiter {
  private final int maxFailures;
  private final Duration window;
  private final Cache<String, AtomicInteger> failures;

  public FailedAttemptLimiter(int maxFailures, Duration window) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
  }

  /** Refuses with 429 while {@code address} is over its failures. */
  public void requireAllowed(String address) {
    AtomicInteger count = failures.getIfPresent(address);
    if (count != null && count.get() >= maxFailures) {
      throw new StagingException(Problem.TOO_MANY_REQUESTS,
          "too many failed authentications from this address; try again in " + window.toSeconds() + " s");
    }
  }

  public void recordFailure(String address) {
    failures.asMap().compute(address, (key, count) -> {
      AtomicInteger next = count == null ? new AtomicInteger() : count;
      next.incrementAndGet();
      return next;
    });
  }
}
