package io.sparkstaging.init.extract;

import io.sparkstaging.common.text.OneLine;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.io.IOUtils;

/**
 * Writes an untrusted archive's entries under one directory that starts empty: each name once,
 * never outside it, and never a file where a directory was, a directory where a file was, or an
 * entry inside a file. Those are refusals naming the entry (exit 4), decided from the names seen
 * so far rather than from what the file system happens to answer; an error writing is local I/O.
 */
final class EntryWriter {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> EXECUTABLE_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
  // Larger than InputStream.transferTo's 8 KiB, which unpacked more slowly (docs/benchmarks.md).
  private static final int COPY_BUFFER_BYTES = 128 * 1024;

  private final Path destination;
  private final Set<Path> files = new HashSet<>();
  private final Set<Path> directories = new HashSet<>();
  private final byte[] buffer = new byte[COPY_BUFFER_BYTES];

  EntryWriter(Path destination) {
    this.destination = destination;
  }

  void directory(String name) throws IOException {
    Path target = safeTarget(destination, name, true);
    checkParents(name, target);
    if (files.contains(target)) {
      throw reject(name, "is a directory named as a file before it");
    }
    Files.createDirectories(target);
    addDirectories(target);
  }

  /** Writes one entry's content to a new file, and returns it. */
  Path file(String name, InputStream content, boolean executable) throws IOException {
    Path target = safeTarget(destination, name, false);
    checkParents(name, target);
    if (directories.contains(target)) {
      throw reject(name, "is a file named as a directory before it");
    }
    if (!files.add(target)) {
      throw reject(name, "appears more than once");
    }
    Files.createDirectories(target.getParent());
    addDirectories(target.getParent());
    writeNew(target, name, content, executable, buffer);
    return target;
  }

  /**
   * Writes a new file, readable by all (the Spark container's user, uid 185 in the stock images,
   * whoever unpacks), executable if asked; a file already there is a refusal naming the entry.
   */
  static void writeNew(Path target, String name, InputStream content, boolean executable, byte[] buffer) throws IOException {
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      IOUtils.copyLarge(content, out, buffer);
    } catch (FileAlreadyExistsException unexpected) {
      throw reject(name, "appears more than once");
    }
    if (POSIX) {
      Files.setPosixFilePermissions(target, executable ? EXECUTABLE_MODE : FILE_MODE);
    }
  }

  private void checkParents(String name, Path target) throws ContentRejected {
    for (Path parent = target.getParent(); isBelowDestination(parent); parent = parent.getParent()) {
      if (files.contains(parent)) {
        throw reject(name, "is inside '" + destination.relativize(parent) + "', which is a file");
      }
    }
  }

  private void addDirectories(Path dir) {
    for (Path path = dir; isBelowDestination(path); path = path.getParent()) {
      if (!directories.add(path)) {
        return;
      }
    }
  }

  private boolean isBelowDestination(Path path) {
    return path != null && path.startsWith(destination) && !path.equals(destination);
  }

  /** Where an entry of this name goes, refusing names that could land anywhere else. */
  static Path safeTarget(Path destination, String name, boolean directory) throws ContentRejected {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw reject(name, "has an empty or malformed name");
    }
    if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
      throw reject(name, "has an absolute path");
    }
    for (String segment : name.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw reject(name, "has a '..' segment");
      }
    }
    Path target = destination.resolve(name).normalize();
    if (!target.startsWith(destination) || (target.equals(destination) && !directory)) {
      throw reject(name, "resolves outside the target directory");
    }
    return target;
  }

  static ContentRejected reject(String name, String why) {
    return new ContentRejected("unsafe bundle: entry '" + OneLine.of(name, 200) + "' " + why);
  }
}
