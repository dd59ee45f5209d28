package io.sparkstaging.server.lifecycle;

import io.sparkstaging.common.units.DurationText;
import io.sparkstaging.server.store.BundleRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a bundle must go regardless of its owner: never downloaded within the initial-access
 * expiration (its pods never started), or older than the maximum age, if one is set.
 */
public record RetentionPolicy(Duration initialAccessExpiration, Optional<Duration> maxAge) {

  /** Why the bundle must be deleted now, or empty to keep it. */
  public Optional<Deletion> judge(BundleRecord record, Instant now) {
    if (maxAge.isPresent() && !record.createdAt().plus(maxAge.get()).isAfter(now)) {
      return Optional.of(new Deletion(Deletion.Reason.MAX_AGE, "older than the maximum age of " + DurationText.format(maxAge.get())));
    }
    if (record.firstDownloadedAt().isEmpty() && !record.createdAt().plus(initialAccessExpiration).isAfter(now)) {
      return Optional.of(new Deletion(Deletion.Reason.NEVER_DOWNLOADED,
          "not downloaded within " + DurationText.format(initialAccessExpiration) + " of its upload"));
    }
    return Optional.empty();
  }

  /** A decision to delete, with a reason for logs and metrics and a sentence for people. */
  public record Deletion(Reason reason, String explanation) {
    public enum Reason {
      NEVER_DOWNLOADED,
      MAX_AGE,
      OWNER_GONE,
      NAMESPACE_GONE
    }
  }
}
