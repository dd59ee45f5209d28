package io.sparkstaging.server.store;

import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.common.wire.BundleOwner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One upload streaming into {@code incoming/ID/content}: counted, hashed and space-checked as it goes. */
final class LocalPendingBundle extends MeteredPendingBundle {
  private static final Logger log = LoggerFactory.getLogger(LocalPendingBundle.class);

  private final Path dir;
  private final DiskSpace diskSpace;
  private final LocalBundleStore store;
  private final FileChannel channel;
  private boolean committed;

  LocalPendingBundle(BundleId id, Path dir, long maxSize, DiskSpace diskSpace, LocalBundleStore store) throws IOException {
    super(id, maxSize);
    this.dir = dir;
    this.diskSpace = diskSpace;
    this.store = store;
    this.channel = FileChannel.open(dir.resolve(LocalBundleStore.CONTENT), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        OwnerOnly.file());
  }

  @Override
  public void write(InputStream content) {
    FileSink.copy(content, meter, channel, diskSpace, store::storageFailure);
  }

  @Override
  public BundleRecord commit(BundleOwner owner, SecretDigest secretDigest) {
    BundleRecord record = record(owner, secretDigest, store.clock().instant());
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
