package io.sparkstaging.server.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The on-disk form of a {@link BundleRecord}: one small JSON file per bundle, versioned so that a
 * later server can still read what an earlier one wrote (version 1: a tar bundle; version 2: a
 * manifest bundle, which servers before it refuse). The records here are the format: the
 * owner is stored as its own record, not the wire's {@link BundleOwner}, so the upload API can
 * change without changing what is on disk.
 */
public final class MetadataCodec {
  private static final int VERSION = 1;
  /** Adds {@code layout}; written only for manifest bundles, so that tar bundles stay readable by version 1 servers. */
  private static final int MANIFEST_VERSION = 2;

  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The two times are null until they happen; files written before they existed lack them. The layout is null for a tar. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Stored(int version, String id, StoredOwner owner, String secretSha256, long size, String sha256, Instant createdAt,
      Instant firstDownloadedAt, Instant ownerSeenAt, String layout) {}

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
    boolean manifest = record.layout() == BundleRecord.Layout.MANIFEST;
    return mapper.writeValueAsBytes(new Stored(manifest ? MANIFEST_VERSION : VERSION, record.id().value(), StoredOwner.of(record.owner()),
        record.secretDigest().toBase64(), record.size(), record.sha256Hex(), record.createdAt(), record.firstDownloadedAt().orElse(null),
        record.ownerSeenAt().orElse(null), manifest ? "manifest" : null));
  }

  public BundleRecord decode(byte[] json) throws IOException {
    Stored stored = mapper.readValue(json, Stored.class);
    boolean manifest = stored.version() == MANIFEST_VERSION && "manifest".equals(stored.layout());
    if (!(stored.version() == VERSION && stored.layout() == null) && !manifest) {
      throw new IOException(
          "unsupported metadata version " + stored.version() + (stored.layout() != null ? " with layout " + stored.layout() : ""));
    }
    if (stored.owner() == null || stored.createdAt() == null || stored.sha256() == null || stored.secretSha256() == null) {
      throw new IOException("incomplete metadata");
    }
    try {
      return new BundleRecord(new BundleId(stored.id()), stored.owner().toOwner(), SecretDigest.fromBase64(stored.secretSha256()),
          stored.size(), stored.sha256(), stored.createdAt(), Optional.ofNullable(stored.firstDownloadedAt()),
          Optional.ofNullable(stored.ownerSeenAt()), manifest ? BundleRecord.Layout.MANIFEST : BundleRecord.Layout.TAR);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed metadata: " + e.getMessage(), e);
    }
  }

  /** A manifest as stored beside its bundle: its own records, like the owner's, so the wire's can change freely. */
  private record StoredManifest(int version, List<StoredFile> files) {}

  private record StoredFile(String name, String sha256, long size, int mode) {}

  public byte[] encodeManifest(Manifest manifest) throws IOException {
    return mapper.writeValueAsBytes(new StoredManifest(VERSION,
        manifest.files().stream().map(file -> new StoredFile(file.name(), file.sha256(), file.size(), file.mode())).toList()));
  }

  public Manifest decodeManifest(byte[] json) throws IOException {
    StoredManifest stored = mapper.readValue(json, StoredManifest.class);
    if (stored.version() != VERSION || stored.files() == null) {
      throw new IOException("unsupported or incomplete manifest, version " + stored.version());
    }
    var manifest =
        new Manifest(stored.files().stream().map(file -> new ManifestFile(file.name(), file.sha256(), file.size(), file.mode())).toList());
    if (manifest.problem(Integer.MAX_VALUE).isPresent()) {
      throw new IOException("malformed manifest: " + manifest.problem(Integer.MAX_VALUE).get());
    }
    return manifest;
  }
}
