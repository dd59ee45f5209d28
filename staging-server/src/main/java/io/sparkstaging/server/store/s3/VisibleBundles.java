package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bundles this server takes to be in the bucket: its last listing, with this server's own
 * changes laid over it. Quotas and metrics read it on every upload and scrape, which is why it is
 * not asked of the bucket each time. A listing of many bundles takes a while, and changes made
 * meanwhile may be missing from it, so they are noted and laid over its result too.
 */
final class VisibleBundles {
  private final S3Bucket bucket;
  private final AtomicLong changes = new AtomicLong();
  /** Metadata never changes once written, so a listing reads each bundle's only once. */
  private final Map<BundleId, BundleRecord> metadataCache = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private volatile Map<BundleId, BundleRecord> visible = new ConcurrentHashMap<>();
  private volatile Map<BundleId, BundleListing.Leftover> leftovers = Map.of();
  /** This server's changes during a listing; null when none runs. */
  private Map<BundleId, Optional<BundleRecord>> changesDuringListing;

  VisibleBundles(S3Bucket bucket) {
    this.bucket = bucket;
  }

  Optional<BundleRecord> get(BundleId id) {
    return Optional.ofNullable(visible.get(id));
  }

  Collection<BundleRecord> all() {
    return List.copyOf(visible.values());
  }

  /** Bundles whose keys lack metadata, as of the last listing. */
  Map<BundleId, BundleListing.Leftover> leftovers() {
    return leftovers;
  }

  /** How many bundles this server published or deleted since it started. */
  long changeCount() {
    return changes.get();
  }

  void published(BundleRecord record) {
    metadataCache.put(record.id(), record);
    changes.incrementAndGet();
    apply(record.id(), Optional.of(record));
  }

  void deleted(BundleId id) {
    metadataCache.remove(id);
    changes.incrementAndGet();
    apply(id, Optional.empty());
  }

  /**
   * Replaces {@code known} by {@code updated}; when {@code known} is null (a bundle this server had
   * not listed), adds it unless a listing already did.
   */
  void updated(BundleRecord known, BundleRecord updated) {
    synchronized (lock) {
      boolean changed = known != null ? visible.replace(updated.id(), known, updated) : visible.putIfAbsent(updated.id(), updated) == null;
      if (changed && changesDuringListing != null) {
        changesDuringListing.put(updated.id(), Optional.of(updated));
      }
    }
  }

  /** Lists the bucket. Synchronized: the background refresh and cleanup's fresh listing take turns. */
  synchronized void refresh() {
    synchronized (lock) {
      changesDuringListing = new HashMap<>();
    }
    try {
      BundleListing listing = BundleListing.of(bucket.listBundles(), bucket.keys(),
          id -> Optional.ofNullable(metadataCache.get(id)).or(() -> bucket.readMetadata(id).map(record -> {
            metadataCache.put(id, record);
            return record;
          })));
      var listed = new ConcurrentHashMap<>(listing.visible());
      synchronized (lock) {
        changesDuringListing.forEach((id, change) -> change.ifPresentOrElse(record -> listed.put(id, record), () -> listed.remove(id)));
        visible = listed;
      }
      leftovers = listing.leftovers();
      metadataCache.keySet().retainAll(listed.keySet());
    } finally {
      synchronized (lock) {
        changesDuringListing = null;
      }
    }
  }

  private void apply(BundleId id, Optional<BundleRecord> record) {
    synchronized (lock) {
      record.ifPresentOrElse(value -> visible.put(id, value), () -> visible.remove(id));
      if (changesDuringListing != null) {
        changesDuringListing.put(id, record);
      }
    }
  }
}
