package io.sparkstaging.server.store;

import io.sparkstaging.common.wire.BundleOwner;
import java.time.Instant;
import java.util.Optional;

/**
 * What the server knows about one complete, visible bundle.
 *
 * @param firstDownloadedAt when the bundle was first downloaded, if ever: a bundle never fetched
 *     is one whose pods failed to start, and it expires
 * @param ownerSeenAt when a pod of its owner was first seen, if ever: only then can the owner be
 *     "gone"
 * @param size the bytes a download of the whole bundle sends
 * @param sha256Hex for a {@link Layout#TAR} bundle, its bytes' SHA-256; for a {@link
 *     Layout#MANIFEST} bundle, its manifest's ({@link io.sparkstaging.common.wire.Manifest#sha256()})
 */
public record BundleRecord(
    BundleId id, BundleOwner owner, SecretDigest secretDigest, long size, String sha256Hex, Instant createdAt,
    Optional<Instant> firstDownloadedAt, Optional<Instant> ownerSeenAt, Layout layout) {

  /** How a bundle's bytes are kept. */
  public enum Layout {
    /** As uploaded, one tar. */
    TAR,
    /** As files stored once per namespace by digest ({@link BlobStore}), listed by a manifest; downloads assemble the tar. */
    MANIFEST
  }

  /** A bundle kept as uploaded. */
  public BundleRecord(BundleId id, BundleOwner owner, SecretDigest secretDigest, long size, String sha256Hex, Instant createdAt,
      Optional<Instant> firstDownloadedAt, Optional<Instant> ownerSeenAt) {
    this(id, owner, secretDigest, size, sha256Hex, createdAt, firstDownloadedAt, ownerSeenAt, Layout.TAR);
  }

  public BundleRecord downloadedAt(Instant when) {
    return new BundleRecord(id, owner, secretDigest, size, sha256Hex, createdAt, Optional.of(when), ownerSeenAt, layout);
  }

  public BundleRecord ownerSeenAt(Instant when) {
    return new BundleRecord(id, owner, secretDigest, size, sha256Hex, createdAt, firstDownloadedAt, Optional.of(when), layout);
  }

  /** Bytes this bundle alone keeps in storage: a manifest bundle's files are the namespace's, counted there. */
  public long storedBytes() {
    return layout == Layout.TAR ? size : 0;
  }

  /** A strong entity tag: the content never changes, so its digest (or its manifest's) identifies it. */
  public String etag() {
    return "\"" + sha256Hex + "\"";
  }
}
