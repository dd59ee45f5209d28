package io.sparkstaging.server.store;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Files kept once per namespace by their SHA-256, and the bundles made of them ({@link
 * BundleRecord.Layout#MANIFEST}): staging by digest. A namespace's blob is kept while a bundle's
 * manifest lists it, and for a grace period after it was uploaded or last reported present, so
 * that a client between its query and its commit does not lose it. Nothing here answers for
 * another namespace: no namespace can learn what another holds.
 */
public interface BlobStore {

  /** The digests among {@code wanted} the namespace lacks, in their order; those it holds are kept a grace period from now. */
  List<String> missing(String namespace, List<String> wanted);

  /**
   * Streams a file into the namespace, keeping it only if its bytes hash to {@code sha256}: a
   * mismatch is refused with {@code digest_mismatch} and nothing is kept.
   *
   * @param expectedSize the announced size, or -1
   * @return true if stored now, false if the namespace held it already (the body is read all the same)
   */
  boolean write(String namespace, String sha256, InputStream content, long maxSize, long expectedSize);

  /**
   * Makes a bundle of files the namespace holds, durably and atomically, with the owner and secret
   * digest given; refused with {@code blobs_missing} if the namespace lacks any of them (a file may
   * have been removed since the client asked), and with {@code payload_too_large} if their tar would
   * be larger than {@code maxSize}.
   */
  BundleRecord commit(BundleOwner owner, SecretDigest secretDigest, Manifest manifest, long maxSize);

  /** The files of a manifest bundle. Throws {@link java.nio.file.NoSuchFileException} if it was deleted meanwhile. */
  Manifest manifest(BundleId id) throws IOException;

  OptionalLong size(String namespace, String sha256);

  /** Throws {@link java.nio.file.NoSuchFileException} if the namespace does not hold it. */
  SeekableByteChannel open(String namespace, String sha256) throws IOException;

  /** Where the file can be fetched straight from storage for a while, as {@link BundleStore#directDownload}. */
  default Optional<URI> directDownload(String namespace, String sha256) {
    return Optional.empty();
  }

  /** Whether {@link #directDownload} gives URLs. */
  default boolean offersDirectDownloads() {
    return false;
  }

  /** Bytes of blobs stored, by namespace. */
  Map<String, Long> storedBytes();

  /** Grows with every blob stored or removed, as {@link BundleStore#changeCount()}. */
  long changeCount();
}
