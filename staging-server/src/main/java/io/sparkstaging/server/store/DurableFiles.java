package io.sparkstaging.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** The few file operations whose durability the store relies on. */
final class DurableFiles {
  private DurableFiles() {}

  /** Writes a new file, its owner's only, and forces it to disk before returning. */
  static void writeSynced(Path file, byte[] content) throws IOException {
    try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.file())) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** A rename is durable only once the directory holding the new name is synced. */
  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Renames atomically and makes the rename durable. */
  static void moveSynced(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(target.getParent());
    if (!source.getParent().equals(target.getParent())) {
      syncDirectory(source.getParent());
    }
  }
}
