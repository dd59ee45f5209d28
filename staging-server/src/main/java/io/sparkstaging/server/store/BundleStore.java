package io.sparkstaging.server.store;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Collection;
import java.util.Optional;

/**
 * Where bundles live. The HTTP layer talks only to this interface, so another backend (an object
 * store) can replace the local disk without touching it.
 *
 * <p>A bundle becomes visible to {@link #find} only when {@link PendingBundle#commit} returns, and
 * at no moment before, whatever happens to the process.
 */
public interface BundleStore {

  /**
   * Starts an upload. Close the result in all cases: closing an uncommitted upload discards it.
   *
   * @param maxSize the most bytes the upload may hold
   * @param expectedSize the size the client announced, or -1 if it did not say
   */
  PendingBundle create(long maxSize, long expectedSize);

  Optional<BundleRecord> find(BundleId id);

  /** Opens a bundle's bytes for reading. Throws {@link java.nio.file.NoSuchFileException} if it was deleted meanwhile. */
  SeekableByteChannel open(BundleId id) throws IOException;

  /** Every visible bundle, for the lifecycle to judge. */
  Collection<BundleRecord> list();

  /**
   * Records, durably, the first download of a bundle; later calls change nothing. Returns quietly
   * if the bundle is gone.
   */
  void recordFirstDownload(BundleId id) throws IOException;

  /** Records, durably, that a pod of the bundle's owner was seen; later calls change nothing. */
  void recordOwnerSeen(BundleId id) throws IOException;

  /** Deletes a bundle; false if there was none. Readers that already opened it may finish. */
  boolean delete(BundleId id) throws IOException;

  /** Throws if the store could not accept an upload now (for readiness probes). */
  void checkWritable() throws IOException;
}
