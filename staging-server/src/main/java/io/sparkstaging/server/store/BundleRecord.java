package io.sparkstaging.server.store;

import io.sparkstaging.server.api.BundleOwner;
import io.sparkstaging.server.token.SecretDigest;
import java.time.Instant;

/** What the server knows about one complete, visible bundle. */
public record BundleRecord(
    BundleId id, BundleOwner owner, SecretDigest secretDigest, long size, String sha256Hex, Instant createdAt) {

  /** A strong entity tag: the content never changes, so its digest identifies it. */
  public String etag() {
    return "\"" + sha256Hex + "\"";
  }
}
