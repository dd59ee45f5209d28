package io.sparkstaging.server.store;

import io.sparkstaging.server.api.BundleOwner;
import io.sparkstaging.server.token.SecretDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/** What the server knows about one complete, visible bundle. */
public record BundleRecord(
    BundleId id, BundleOwner owner, SecretDigest secretDigest, long size, String sha256Hex, Instant createdAt) {

  /** The digest as RFC 9530 wants it in {@code Repr-Digest}: base64 of the raw bytes. */
  public String sha256Base64() {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
  }

  /** A strong entity tag: the content never changes, so its digest identifies it. */
  public String etag() {
    return "\"" + sha256Hex + "\"";
  }
}
