package io.sparkstaging.server.store;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** Keeps a reserve of free disk space that uploads may not eat into. */
public final class DiskSpace {
  private final LongSupplier usableBytes;
  private final long reserve;

  public DiskSpace(LongSupplier usableBytes, long reserve) {
    this.usableBytes = usableBytes;
    this.reserve = reserve;
  }

  public static DiskSpace of(Path directory, long reserve) throws IOException {
    FileStore fileStore = Files.getFileStore(directory);
    return new DiskSpace(() -> {
      try {
        return fileStore.getUsableSpace();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, reserve);
  }

  /** Refuses with 507 unless {@code bytes} more still leave the reserve free. */
  public void requireRoomFor(long bytes) {
    if (usableBytes.getAsLong() - Math.max(bytes, 0) < reserve) {
      throw full();
    }
  }

  public boolean isLow() {
    return usableBytes.getAsLong() < reserve;
  }

  public StagingException full() {
    return new StagingException(Problem.INSUFFICIENT_STORAGE,
        "the staging server is short of disk space; try again later or ask its operator to free space");
  }
}
