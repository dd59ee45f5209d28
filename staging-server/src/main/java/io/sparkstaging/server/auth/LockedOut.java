package io.sparkstaging.server.auth;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.time.Duration;
import java.util.Map;

/** A client refused for too many failed authentications, told when to try again (RFC 6585's 429 with {@code Retry-After}). */
final class LockedOut extends StagingException {
  private final long seconds;

  LockedOut(Duration lockout) {
    super(Problem.TOO_MANY_REQUESTS, "too many failed authentications from this address; try again in " + seconds(lockout) + " s");
    this.seconds = seconds(lockout);
  }

  private static long seconds(Duration lockout) {
    return Math.max(1, (lockout.toMillis() + 999) / 1000);
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Retry-After", Long.toString(seconds));
  }
}
