package io.sparkstaging.server.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sparkstaging.common.wire.BundleOwner;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The on-disk form of a {@link BundleRecord}: one small JSON file per bundle, versioned so that a
 * later server can still read what an earlier one wrote. The records here are the format: the
 * owner is stored as its own record, not the wire's {@link BundleOwner}, so the upload API can
 * change without changing what is on disk.
 */
public final class MetadataCodec {
  private static final int VERSION = 1;

  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The two times are null until they happen; files written before they existed lack them. */
  private record Stored(int version, String id, StoredOwner owner, String secretSha256, long size, String sha256, Instant createdAt,
      Instant firstDownloadedAt, Instant ownerSeenAt) {}

  /** Named as the original server's owner document was when version 1 was first written. */
  private record StoredOwner(String ownerNamespace, Map<String, String> ownerLabels, String ownerType) {
    static StoredOwner of(BundleOwner owner) {
      return new StoredOwner(owner.ownerNamespace(), owner.ownerLabels(), owner.ownerType().name());
    }

    BundleOwner toOwner() throws IOException {
      if (ownerNamespace == null || ownerLabels == null || ownerType == null) {
        throw new IOException("incomplete owner");
      }
      try {
        return new BundleOwner(ownerNamespace, ownerLabels, BundleOwner.OwnerType.valueOf(ownerType));
      } catch (IllegalArgumentException e) {
        throw new IOException("unknown owner type " + ownerType, e);
      }
    }
  }

  public byte[] encode(BundleRecord record) throws IOException {
    return mapper.writeValueAsBytes(new Stored(VERSION, record.id().value(), StoredOwner.of(record.owner()),
        record.secretDigest().toBase64(), record.size(), record.sha256Hex(), record.createdAt(), record.firstDownloadedAt().orElse(null),
        record.ownerSeenAt().orElse(null)));
  }

  public BundleRecord decode(byte[] json) throws IOException {
    Stored stored = mapper.readValue(json, Stored.class);
    if (stored.version() != VERSION) {
      throw new IOException("unsupported metadata version " + stored.version());
    }
    if (stored.owner() == null || stored.createdAt() == null || stored.sha256() == null || stored.secretSha256() == null) {
      throw new IOException("incomplete metadata");
    }
    try {
      return new BundleRecord(new BundleId(stored.id()), stored.owner().toOwner(), SecretDigest.fromBase64(stored.secretSha256()),
          stored.size(), stored.sha256(), stored.createdAt(), Optional.ofNullable(stored.firstDownloadedAt()),
          Optional.ofNullable(stored.ownerSeenAt()));
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed metadata: " + e.getMessage(), e);
    }
  }
}
