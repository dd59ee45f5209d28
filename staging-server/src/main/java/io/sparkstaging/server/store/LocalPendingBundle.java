package io.sparkstaging.server.store;

import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.server.api.BundleOwner;
import io.sparkstaging.server.errors.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.token.SecretDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One upload streaming into {@code incoming/ID/content}: counted, hashed and space-checked as it goes. */
final class LocalPendingBundle implements PendingBundle {
  private static final Logger log = LoggerFactory.getLogger(LocalPendingBundle.class);
  private static final int BUFFER_SIZE = 128 * 1024;
  private static final long SPACE_CHECK_INTERVAL = 16L * 1024 * 1024;

  private final BundleId id;
  private final Path dir;
  private final long maxSize;
  private final DiskSpace diskSpace;
  private final LocalBundleStore store;
  private final FileChannel channel;
  private final MessageDigest sha256;
  private long size;
  private String sha256Hex;
  private boolean committed;

  LocalPendingBundle(BundleId id, Path dir, long maxSize, DiskSpace diskSpace, LocalBundleStore store) throws IOException {
    this.id = id;
    this.dir = dir;
    this.maxSize = maxSize;
    this.diskSpace = diskSpace;
    this.store = store;
    this.channel = FileChannel.open(dir.resolve(LocalBundleStore.CONTENT), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public void write(InputStream content) {
    byte[] buffer = new byte[BUFFER_SIZE];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    long nextSpaceCheck = SPACE_CHECK_INTERVAL;
    for (int read = readFrom(content, buffer); read >= 0; read = readFrom(content, buffer)) {
      size += read;
      if (size > maxSize) {
        throw new StagingException(Problem.PAYLOAD_TOO_LARGE,
            "the bundle is larger than the " + ByteSize.format(maxSize) + " this server accepts");
      }
      sha256.update(buffer, 0, read);
      wrapped.clear().limit(read);
      try {
        while (wrapped.hasRemaining()) {
          channel.write(wrapped);
        }
      } catch (IOException e) {
        throw store.storageFailure(e);
      }
      if (size >= nextSpaceCheck) {
        diskSpace.requireRoomFor(0);
        nextSpaceCheck += SPACE_CHECK_INTERVAL;
      }
    }
    sha256Hex = HexFormat.of().formatHex(sha256.digest());
  }

  private static int readFrom(InputStream content, byte[] buffer) {
    try {
      return content.read(buffer);
    } catch (IOException e) {
      throw new StagingException(Problem.UPLOAD_INTERRUPTED,
          "the upload ended before the bundle was complete (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public String sha256Hex() {
    if (sha256Hex == null) {
      throw new IllegalStateException("write() has not completed");
    }
    return sha256Hex;
  }

  @Override
  public BundleRecord commit(BundleOwner owner, SecretDigest secretDigest) {
    var record = new BundleRecord(id, owner, secretDigest, size, sha256Hex(), store.clock().instant(), Optional.empty(), Optional.empty());
    try {
      channel.force(true);
      channel.close();
      store.publish(record, dir);
    } catch (IOException e) {
      throw store.storageFailure(e);
    }
    committed = true;
    return record;
  }

  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      channel.close();
      FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      // The next start empties incoming/ anyway; nothing here is visible to clients.
      log.warn("Could not remove the partial upload {}: {}", id, e.toString());
    }
  }
}
