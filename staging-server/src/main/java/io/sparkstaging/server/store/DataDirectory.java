package io.sparkstaging.server.store;

import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes sure the data directory exists and is this process's to write, before anything is stored
 * in it. A directory the server cannot write is the commonest failure of a first install (a volume
 * owned by root, the server running as 65532), so it is a configuration error that says whose the
 * directory is and how to hand it over, not an {@link AccessDeniedException} with a stack trace.
 */
final class DataDirectory {
  private static final String ADVICE = "give the server's user write access to it: on Kubernetes an fsGroup (k8s-manifests sets 65532); "
      + "with docker or podman a named volume (the image's /var/lib/spark-staging belongs to 65532), or a host directory "
      + "owned by that user";

  private DataDirectory() {}

  static void prepare(Path root) {
    try {
      Files.createDirectories(root);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigException("--data-dir: " + root + " is not a directory (" + e.getFile() + " is a file)");
    } catch (AccessDeniedException e) {
      throw new ConfigException("--data-dir: cannot create " + root + ": " + e.getFile() + " is not writable by " + processUser() + "; "
          + ADVICE);
    } catch (FileSystemException e) {
      throw new ConfigException("--data-dir: cannot create " + root + ": " + e.getReason() + " (" + e.getFile() + ")");
    } catch (IOException e) {
      throw new ConfigException("--data-dir: cannot create " + root + ": " + e.getMessage());
    }
    if (!Files.isWritable(root)) {
      throw new ConfigException("--data-dir: " + root + " is not writable by " + processUser() + ": it " + describe(root) + "; " + ADVICE);
    }
  }

  /** For what the directory holds: files left by a server that ran as another user. */
  static ConfigException notWritable(Path root, AccessDeniedException e) {
    Path file = e.getFile() == null ? root : Path.of(e.getFile());
    return new ConfigException("--data-dir: " + file + " is not writable by " + processUser() + ": it " + describe(file)
        + " (left by a server that ran as another user?); " + ADVICE);
  }

  private static String processUser() {
    return "the server's user (" + System.getProperty("user.name") + uid() + ")";
  }

  /** The process's uid, which a container's user may have without a name; Linux only. */
  private static String uid() {
    try {
      return ", uid " + Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "";
    }
  }

  private static String describe(Path root) {
    try {
      return "belongs to uid " + Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ", gid "
          + Files.getAttribute(root, "unix:gid", LinkOption.NOFOLLOW_LINKS) + ", mode "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(root));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "cannot be written";
    }
  }
}
