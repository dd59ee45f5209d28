package io.sparkstaging.server.store;

import io.sparkstaging.common.wire.BundleOwner;
import java.time.Instant;
import java.util.Optional;

/** What every store's pending bundle shares: its id, and the {@link ContentMeter} its content passes through. */
public abstract class MeteredPendingBundle implements PendingBundle {
  protected final BundleId id;
  protected final ContentMeter meter;

  protected MeteredPendingBundle(BundleId id, long maxSize) {
    this.id = id;
    this.meter = new ContentMeter(maxSize);
  }

  @Override
  public long size() {
    return meter.size();
  }

  @Override
  public String sha256Hex() {
    return meter.sha256Hex();
  }

  /** The record of the bundle as received, new: never downloaded, its owner never seen. */
  protected BundleRecord record(BundleOwner owner, SecretDigest secretDigest, Instant createdAt) {
    return new BundleRecord(id, owner, secretDigest, meter.size(), meter.sha256Hex(), createdAt, Optional.empty(), Optional.empty());
  }
}
