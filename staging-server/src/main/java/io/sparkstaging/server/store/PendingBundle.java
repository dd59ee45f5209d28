package io.sparkstaging.server.store;

import io.sparkstaging.common.wire.BundleOwner;
import java.io.InputStream;

/**
 * An upload in progress: invisible until committed, discarded when closed uncommitted.
 *
 * <pre>{@code
 * try (PendingBundle pending = store.create(max, length)) {
 *   pending.write(body);
 *   return pending.commit(owner, digest);
 * } // any exception above: the partial data is gone
 * }</pre>
 */
public interface PendingBundle extends AutoCloseable {

  /**
   * Streams the content to storage, hashing it on the way.
   *
   * @throws io.sparkstaging.server.errors.StagingException if the content is too large, the disk
   *     is short of space, or reading the content fails
   */
  void write(InputStream content);

  long size();

  String sha256Hex();

  /** Makes the bundle durable and visible, atomically. */
  BundleRecord commit(BundleOwner owner, SecretDigest secretDigest);

  @Override
  void close();
}
