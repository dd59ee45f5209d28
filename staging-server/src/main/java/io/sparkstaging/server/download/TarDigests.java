package io.sparkstaging.server.download;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sparkstaging.server.store.BundleId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of manifest bundles as one tar, for {@code Repr-Digest}. Computed on the first
 * download that needs it, not at commit, which it would slow by a read of every file; the
 * project's init-container fetches such bundles file by file and never asks. Remembered per bundle,
 * since the tar never changes.
 */
final class TarDigests {
  private final Cache<BundleId, String> digests = Caffeine.newBuilder().maximumSize(100_000).build();

  String of(BundleId id, Representation.Opener tar) {
    return digests.get(id, key -> {
      try (SeekableByteChannel channel = tar.open()) {
        return sha256(channel);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String sha256(SeekableByteChannel channel) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    while (channel.read(buffer.clear()) >= 0) {
      digest.update(buffer.flip());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
