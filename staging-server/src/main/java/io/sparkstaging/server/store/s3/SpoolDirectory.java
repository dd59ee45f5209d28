package io.sparkstaging.server.store.s3;

import io.sparkstaging.common.files.FileTrees;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's own directory for upload parts, {@code staging-spool-*} under the configured one,
 * locked while the server runs. A server killed mid-upload leaves its directory behind unlocked;
 * the next one to start in the same place removes it, so crashes cannot fill the disk.
 */
final class SpoolDirectory implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(SpoolDirectory.class);
  private static final String PREFIX = "staging-spool-";
  private static final String LOCK = ".lock";

  private final Path path;
  private final FileChannel lock;

  private SpoolDirectory(Path path, FileChannel lock) {
    this.path = path;
    this.lock = lock;
  }

  static SpoolDirectory claim(Path parent) throws IOException {
    removeAbandoned(parent);
    Path path = Files.createTempDirectory(parent, PREFIX);
    FileChannel channel = FileChannel.open(path.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.lock();
    return new SpoolDirectory(path, channel);
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

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    lock.close();
    FileTrees.deleteRecursively(path);
  }
}
