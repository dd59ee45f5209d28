package io.sparkstaging.server.store;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Where bundles live. The HTTP layer talks only to this interface, so another backend (an object
 * store) can replace the local disk without touching it.
 *
 * <p>A bundle becomes visible to {@link #find} only when {@link PendingBundle#commit} returns, and
 * at no moment before, whatever happens to the process.
 */
public interface BundleStore extends Closeable {

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

  /**
   * Where the bundle's bytes can be fetched straight from storage, for a while, without the
   * secret: empty when this store offers no such URL (or was told not to).
   */
  default Optional<URI> directDownload(BundleId id) {
    return Optional.empty();
  }

  /** Staging by digest, when this store offers it. */
  default Optional<BlobStore> blobs() {
    return Optional.empty();
  }

  /** Whether reading an opened bundle may wait on the network, rather than on a local disk. */
  default boolean readsMayBlock() {
    return false;
  }

  /**
   * Every visible bundle, for the lifecycle, quotas and metrics. A store shared by several
   * servers may answer from a recent listing: it then shows this server's own changes at once and
   * other servers' within its refresh interval.
   */
  Collection<BundleRecord> list();

  /**
   * Every visible bundle as the store holds it at this moment, not from a recent listing: what
   * cleanup judges by, so that a download recorded by another server just now is not missed.
   */
  default Collection<BundleRecord> listFresh() {
    return list();
  }

  /**
   * Records, durably, the first download of a bundle; later calls change nothing. Returns quietly
   * if the bundle is gone.
   */
  void recordFirstDownload(BundleId id) throws IOException;

  /** Records, durably, that a pod of the bundle's owner was seen; later calls change nothing. */
  void recordOwnerSeen(BundleId id) throws IOException;

  /** Deletes a bundle; false if there was none. Readers that already opened it may finish. */
  boolean delete(BundleId id) throws IOException;

  /**
   * Removes what crashed uploads and deletions left behind, anything older than {@code now} less
   * a safety margin. Run by the one server doing cleanup; a store that recovers at start has
   * nothing to do here.
   */
  default void removeLeftovers(Instant now) {}

  /** Throws if the store could not accept an upload now (for readiness probes). */
  void checkWritable() throws IOException;

  /**
   * Grows with every bundle this server commits or deletes, so that whoever totals {@link #list()}
   * knows when to total it again; what other servers on a shared bucket change shows only in the
   * next listing.
   */
  default long changeCount() {
    return 0;
  }
}
