package io.sparkstaging.server.store.s3;

import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.DiskSpace;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's own directory for upload parts, {@code staging-spool-*} under the configured one,
 * locked while the server runs. A server killed mid-upload leaves its directory behind unlocked;
 * the next one to start in the same place removes it, so crashes cannot fill the disk. Parts may
 * not eat into the reserve of free space.
 */
final class SpoolDirectory implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(SpoolDirectory.class);
  private static final String PREFIX = "staging-spool-";
  private static final String LOCK = ".lock";

  private final Path path;
  private final FileChannel lock;
  private final DiskSpace space;

  private SpoolDirectory(Path path, FileChannel lock, DiskSpace space) {
    this.path = path;
    this.lock = lock;
    this.space = space;
  }

  /** @param reserve free space the parts may not eat into */
  static SpoolDirectory claim(Path parent, long reserve) throws IOException {
    removeAbandoned(parent);
    Path path = Files.createTempDirectory(parent, PREFIX);
    FileChannel channel = FileChannel.open(path.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.lock();
    return new SpoolDirectory(path, channel, DiskSpace.of(path, reserve));
  }

  private static void removeAbandoned(Path parent) throws IOException {
    try (DirectoryStream<Path> spools = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path spool : spools) {
        if (Files.isDirectory(spool) && !inUse(spool)) {
          log.info("Removing {}, left by a server that stopped mid-upload", spool);
          FileTrees.deleteRecursively(spool);
        }
      }
    }
  }

  private static boolean inUse(Path spool) throws IOException {
    if (!Files.exists(spool.resolve(LOCK))) {
      // Being created by a server that has not locked it yet, or left before it could: let it be.
      return true;
    }
    try (FileChannel channel = FileChannel.open(spool.resolve(LOCK), StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        return true;
      }
      held.release();
      return false;
    } catch (OverlappingFileLockException heldByThisProcess) {
      return true;
    }
  }

  /** The two files an upload's parts take turns in: one being sent while the next fills. */
  List<Path> partFiles(BundleId id) {
    return List.of(path.resolve(id.value() + ".0"), path.resolve(id.value() + ".1"));
  }

  /** Refuses with 507 unless {@code bytes} more leave the reserve free. */
  void requireRoomFor(long bytes) {
    space.requireRoomFor(bytes);
  }

  boolean isLow() {
    return space.isLow();
  }

  /** What a client is told when spooling failed: 507 if the disk is short, else an internal error. */
  StagingException failure(IOException cause) {
    if (space.isLow()) {
      return space.full();
    }
    return new StagingException(Problem.INTERNAL_ERROR, "the staging server could not spool the upload", cause);
  }

  @Override
  public void close() throws IOException {
    lock.close();
    FileTrees.deleteRecursively(path);
  }
}
