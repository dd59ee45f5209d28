package io.sparkstaging.server.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Bundles hold users' code and data, readable by whoever holds their secret and nobody else: so
 * the store's files and directories are the server's user's alone (0600 and 0700), whatever the
 * umask, and another local user of the node cannot read them around the secret. On a file system
 * without POSIX permissions this does nothing.
 */
final class OwnerOnly {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private OwnerOnly() {}

  static FileAttribute<?>[] file() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
  }

  static Path createDirectory(Path dir) throws IOException {
    return POSIX ? Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY)) : Files.createDirectory(dir);
  }

  /**
   * Creates {@code dir} owner-only if it is missing, and makes it so if it is not: what it holds,
   * whatever its own permissions (bundles stored by an earlier version), is then out of others' reach.
   *
   * @return whether an existing directory had to be restricted
   */
  static boolean ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      createDirectory(dir);
      return false;
    }
    if (POSIX && !Files.getPosixFilePermissions(dir).equals(DIRECTORY)) {
      Files.setPosixFilePermissions(dir, DIRECTORY);
      return true;
    }
    return false;
  }
}
