package io.sparkstaging.server.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.sparkstaging.common.units.DurationText;
import io.sparkstaging.server.lifecycle.RetentionPolicy.Deletion;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, on a fixed delay, the bundles the {@link RetentionPolicy} condemns and, with a cluster,
 * those whose owner is gone: no matching pod for the grace period after one was seen, or the
 * namespace deleted. Clock and scheduler are injected, so that tests move time instead of waiting.
 *
 * <p>"Seen" is stored with the bundle; "absent since" is not, so after a restart, or when another
 * server takes the {@link Leadership} over, the grace period starts again: either can delay a
 * deletion, never hasten one. Passes run only while this server leads.
 */
public final class Reaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final BundleStore store;
  private final RetentionPolicy policy;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Optional<OwnerTracker> owners;
  private final Duration ownerGrace;
  private final Map<BundleId, Instant> ownerAbsentSince = new ConcurrentHashMap<>();
  private final MeterRegistry metrics;
  private final Leadership leadership;

  public Reaper(BundleStore store, RetentionPolicy policy, Clock clock, ScheduledExecutorService scheduler, Optional<OwnerTracker> owners,
      Duration ownerGrace, MeterRegistry metrics, Leadership leadership) {
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    this.scheduler = scheduler;
    this.owners = owners;
    this.ownerGrace = ownerGrace;
    this.metrics = metrics;
    this.leadership = leadership;
  }

  public void start(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One pass over every bundle, then over the store's leftovers; returns how many bundles were deleted. */
  public int sweep() {
    Instant now = clock.instant();
    int deleted = 0;
    for (BundleRecord record : store.listFresh()) {
      var verdict = policy.judge(record, now).or(() -> owners.flatMap(tracker -> judgeOwner(tracker, record, now)));
      if (verdict.isEmpty()) {
        continue;
      }
      ownerAbsentSince.remove(record.id());
      try {
        if (store.delete(record.id())) {
          deleted++;
          metrics.counter("staging.bundles.deleted", "reason", verdict.get().reason().name().toLowerCase(Locale.ROOT)).increment();
          metrics.counter("staging.bundles.deleted.bytes", "reason", verdict.get().reason().name().toLowerCase(Locale.ROOT))
              .increment(record.size());
          log.info("Deleted bundle {} of namespace {} ({} bytes): {} [{}]", record.id(), record.owner().ownerNamespace(), record.size(),
              verdict.get().explanation(), verdict.get().reason());
        }
      } catch (IOException e) {
        log.warn("Could not delete bundle {} ({}): {}", record.id(), verdict.get().reason(), e.toString());
      }
    }
    store.removeLeftovers(now);
    return deleted;
  }

  private Optional<Deletion> judgeOwner(OwnerTracker tracker, BundleRecord record, Instant now) {
    switch (tracker.presence(record.owner())) {
      case PRESENT -> {
        ownerAbsentSince.remove(record.id());
        if (record.ownerSeenAt().isEmpty()) {
          try {
            store.recordOwnerSeen(record.id());
          } catch (IOException e) {
            log.warn("Could not record that the owner of bundle {} was seen: {}", record.id(), e.toString());
          }
        }
        return Optional.empty();
      }
      case NAMESPACE_GONE -> {
        return Optional.of(new Deletion(Deletion.Reason.NAMESPACE_GONE, "its namespace " + record.owner().ownerNamespace() + " is gone"));
      }
      case ABSENT -> {
        if (record.ownerSeenAt().isEmpty()) {
          return Optional.empty();
        }
        Instant since = ownerAbsentSince.computeIfAbsent(record.id(), id -> now);
        return since.plus(ownerGrace).isAfter(now) ? Optional.empty()
            : Optional.of(new Deletion(Deletion.Reason.OWNER_GONE, "no pod of its owner for " + DurationText.format(ownerGrace)));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  // A failed pass must not cancel the schedule: scheduleWithFixedDelay stops at the first exception.
  private void sweepQuietly() {
    if (!leadership.isLeader()) {
      ownerAbsentSince.clear();
      return;
    }
    try {
      sweep();
    } catch (RuntimeException e) {
      log.error("Cleanup pass failed; the next one runs as scheduled", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    leadership.close();
    owners.ifPresent(OwnerTracker::close);
  }
}
