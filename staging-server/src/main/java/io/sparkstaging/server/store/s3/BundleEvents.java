package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Records the two events cleanup decides by, a bundle's first download and the first sighting of
 * its owner, as event keys ({@link S3Keys}). A server writes one only when it knows of none, so
 * the bucket holds a few per bundle at most, one per replica that saw the event first.
 */
final class BundleEvents {
  private final S3Bucket bucket;
  private final VisibleBundles visible;
  private final Clock clock;

  BundleEvents(S3Bucket bucket, VisibleBundles visible, Clock clock) {
    this.bucket = bucket;
    this.visible = visible;
    this.clock = clock;
  }

  void firstDownload(BundleId id) throws IOException {
    Instant now = clock.instant();
    record(id, S3Keys.DOWNLOADED, now, known -> known.firstDownloadedAt().isPresent() ? known : known.downloadedAt(now));
  }

  void ownerSeen(BundleId id) throws IOException {
    Instant now = clock.instant();
    record(id, S3Keys.OWNER_SEEN, now, known -> known.ownerSeenAt().isPresent() ? known : known.ownerSeenAt(now));
  }

  /** A bundle that is gone is left alone. */
  private void record(BundleId id, String kind, Instant when, UnaryOperator<BundleRecord> event) throws IOException {
    BundleRecord listed = visible.get(id).orElse(null);
    BundleRecord current;
    try {
      // Not listed yet: uploaded through another server since this one last listed the bucket.
      current = listed != null ? listed : bucket.readMetadata(id).orElse(null);
    } catch (SdkException e) {
      throw new IOException("the object store could not be asked for the bundle: " + e.getMessage(), e);
    }
    BundleRecord updated = current == null ? null : event.apply(current);
    if (updated == null || updated.equals(current)) {
      return;
    }
    try {
      bucket.writeEvent(id, kind, when);
    } catch (SdkException e) {
      throw new IOException("the object store refused the event: " + e.getMessage(), e);
    }
    visible.updated(listed, updated);
  }
}
