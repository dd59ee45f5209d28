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
 */
public record BundleRecord(
    BundleId id, BundleOwner owner, SecretDigest secretDigest, long size, String sha256Hex, Instant createdAt,
    Optional<Instant> firstDownloadedAt, Optional<Instant> ownerSeenAt) {

  public BundleRecord downloadedAt(Instant when) {
    return new BundleRecord(id, owner, secretDigest, size, sha256Hex, createdAt, Optional.of(when), ownerSeenAt);
  }

  public BundleRecord ownerSeenAt(Instant when) {
    return new BundleRecord(id, owner, secretDigest, size, sha256Hex, createdAt, firstDownloadedAt, Optional.of(when));
  }

  /** A strong entity tag: the content never changes, so its digest identifies it. */
  public String etag() {
    return "\"" + sha256Hex + "\"";
  }
}
