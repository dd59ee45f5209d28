package io.sparkstaging.server.lifecycle;

import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the bundles the {@link RetentionPolicy} condemns, on a fixed delay. Clock and scheduler
 * are injected, so that tests move time instead of waiting for it.
 */
public final class Reaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final BundleStore store;
  private final RetentionPolicy policy;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  public Reaper(BundleStore store, RetentionPolicy policy, Clock clock, ScheduledExecutorService scheduler) {
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  public void start(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One pass over every bundle; returns how many were deleted. */
  public int sweep() {
    Instant now = clock.instant();
    int deleted = 0;
    for (BundleRecord record : store.list()) {
      var verdict = policy.judge(record, now);
      if (verdict.isEmpty()) {
        continue;
      }
      try {
        if (store.delete(record.id())) {
          deleted++;
          log.info("Deleted bundle {} of namespace {} ({} bytes): {} [{}]", record.id(), record.owner().ownerNamespace(), record.size(),
              verdict.get().explanation(), verdict.get().reason());
        }
      } catch (IOException e) {
        log.warn("Could not delete bundle {} ({}): {}", record.id(), verdict.get().reason(), e.toString());
      }
    }
    return deleted;
  }

  // A failed pass must not cancel the schedule: scheduleWithFixedDelay stops at the first exception.
  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.error("Cleanup pass failed; the next one runs as scheduled", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
