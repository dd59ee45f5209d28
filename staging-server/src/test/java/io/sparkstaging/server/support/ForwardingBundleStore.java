package io.sparkstaging.server.support;

import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.PendingBundle;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** A real store with one behaviour changed: a test overrides what it is about and the rest passes through. */
public abstract class ForwardingBundleStore implements BundleStore {
  protected final BundleStore store;

  protected ForwardingBundleStore(BundleStore store) {
    this.store = store;
  }

  @Override
  public PendingBundle create(long maxSize, long expectedSize) {
    return store.create(maxSize, expectedSize);
  }

  @Override
  public Optional<BundleRecord> find(BundleId id) {
    return store.find(id);
  }

  @Override
  public SeekableByteChannel open(BundleId id) throws IOException {
    return store.open(id);
  }

  @Override
  public Optional<URI> directDownload(BundleId id) {
    return store.directDownload(id);
  }

  @Override
  public boolean readsMayBlock() {
    return store.readsMayBlock();
  }

  @Override
  public Collection<BundleRecord> list() {
    return store.list();
  }

  @Override
  public Collection<BundleRecord> listFresh() {
    return store.listFresh();
  }

  @Override
  public void recordFirstDownload(BundleId id) throws IOException {
    store.recordFirstDownload(id);
  }

  @Override
  public void recordOwnerSeen(BundleId id) throws IOException {
    store.recordOwnerSeen(id);
  }

  @Override
  public boolean delete(BundleId id) throws IOException {
    return store.delete(id);
  }

  @Override
  public void removeLeftovers(Instant now) {
    store.removeLeftovers(now);
  }

  @Override
  public void checkWritable() throws IOException {
    store.checkWritable();
  }

  @Override
  public long changeCount() {
    return store.changeCount();
  }

  /** The wrapped store is the test's to close. */
  @Override
  public void close() {}
}
