package io.sparkstaging.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows down guessing: after too many failed authentications from one address, that address
 * waits out a window, without costing the authenticator (a TokenReview) anything. A credential
 * that was accepted within the window still passes from a locked address, so that one client's
 * wrong tokens cannot lock out the others behind the same address (a NAT, or an ingress without
 * {@code --trusted-proxies}). Credentials are kept only as SHA-256 digests.
 */
public final class FailedAttemptLimiter {
  private final int maxFailures;
  private final Duration window;
  private final Cache<String, AtomicInteger> failures;
  private final Cache<String, Boolean> accepted;

  public FailedAttemptLimiter(int maxFailures, Duration window) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    this.accepted = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
  }

  /** Refuses with 429 while {@code address} is over its failures, unless {@code credential} was accepted within the window. */
  public void requireAllowed(String address, String credential) {
    AtomicInteger count = failures.getIfPresent(address);
    if (count != null && count.get() >= maxFailures && (credential == null || accepted.getIfPresent(digest(credential)) == null)) {
      throw new LockedOut(window);
    }
  }

  public void recordSuccess(String credential) {
    accepted.put(digest(credential), Boolean.TRUE);
  }

  private static String digest(String credential) {
    return HexFormat.of().formatHex(StaticTokenAuthenticator.sha256(credential));
  }

  public void recordFailure(String address) {
    failures.asMap().compute(address, (key, count) -> {
      AtomicInteger next = count == null ? new AtomicInteger() : count;
      next.incrementAndGet();
      return next;
    });
  }
}
