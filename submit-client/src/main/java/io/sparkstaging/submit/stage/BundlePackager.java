package io.sparkstaging.submit.stage;

import io.sparkstaging.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs local files into one bundle, laid out as the original client did: a flat tar of file
 * names, a repeated name getting a {@code -1}, {@code -2}... before its extension. Plain tar by
 * default, since jars are compressed already; gzip on request.
 */
public final class BundlePackager {
  private final List<Path> files;
  private final List<String> names;
  private final boolean gzip;

  /** @throws ConfigException naming the first file that is not a readable regular file */
  public BundlePackager(List<Path> files, boolean gzip) {
    this(files, uniqueNames(files), gzip);
  }

  /** @param names the entries' names, one per file, already unique */
  public BundlePackager(List<Path> files, List<String> names, boolean gzip) {
    if (files.size() != names.size() || new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("one unique name per file");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new ConfigException(file + " is not a readable file");
      }
    }
    this.files = List.copyOf(files);
    this.names = List.copyOf(names);
    this.gzip = gzip;
  }

  /** The names the files will have inside the bundle, and so in the pod, in order. */
  public List<String> entryNames() {
    return names;
  }

  private static List<String> uniqueNames(List<Path> files) {
    Set<String> used = new HashSet<>();
    return files.stream().map(file -> uniqueName(file.getFileName().toString(), used)).toList();
  }

  public long contentBytes() throws IOException {
    long total = 0;
    for (Path file : files) {
      total += Files.size(file);
    }
    return total;
  }

  /** Streams the bundle into {@code out}, telling {@code progress} of each block of file content written. */
  public void writeTo(OutputStream out, LongConsumer progress) throws IOException {
    OutputStream sink = gzip ? new GZIPOutputStream(out, 64 * 1024) : out;
    var tar = new TarArchiveOutputStream(sink);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    byte[] buffer = new byte[64 * 1024];
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      var entry = new TarArchiveEntry(names.get(i));
      entry.setSize(Files.size(file));
      entry.setMode(Files.isExecutable(file) ? 0755 : 0644);
      tar.putArchiveEntry(entry);
      try (InputStream in = Files.newInputStream(file)) {
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          tar.write(buffer, 0, read);
          progress.accept(read);
        }
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    if (sink instanceof GZIPOutputStream compressed) {
      compressed.finish();
    }
    out.flush();
  }

  /** {@code name}, or with {@code -1}, {@code -2}… before its extension if {@code used} holds it already; adds the result to {@code used}. */
  public static String uniqueName(String name, Set<String> used) {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String extension = dot > 0 ? name.substring(dot) : "";
    String candidate = name;
    for (int counter = 1; !used.add(candidate); counter++) {
      candidate = stem + "-" + counter + extension;
    }
    return candidate;
  }
}
