package io.sparkstaging.submit.stage;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.common.text.OneLine;
import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.common.wire.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Packs local files into one bundle ({@link BundleFormat}): plain tar by default, gzip on request. */
public final class BundlePackager {
  private static final int MAX_SHOWN = 300;
  private final List<Path> files;
  private final List<String> names;
  private final boolean gzip;

  /** @throws ConfigException naming the first file that is not a readable regular file, or whose name no manifest may hold */
  public BundlePackager(List<Path> files, boolean gzip) {
    this(files, uniqueNames(files), gzip);
  }

  /** @param names the entries' names, one per file, already unique */
  public BundlePackager(List<Path> files, List<String> names, boolean gzip) {
    if (files.size() != names.size() || new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("one unique name per file");
    }
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new ConfigException(file + " is not a readable file");
      }
      // Refused here, before anything is sent, rather than by the server's check of the manifest.
      Optional<String> badName = Manifest.nameProblem(names.get(i));
      if (badName.isPresent()) {
        throw new ConfigException(shown(file) + ": a staged file's name " + badName.get());
      }
    }
    this.files = List.copyOf(files);
    this.names = List.copyOf(names);
    this.gzip = gzip;
  }

  /** A local path as a message shows it: on one line, whatever its directories are called. */
  public static String shown(Path file) {
    return OneLine.of(file.toString(), MAX_SHOWN);
  }

  public List<Path> files() {
    return files;
  }

  public boolean gzip() {
    return gzip;
  }

  /** The names the files will have inside the bundle, and so in the pod, in order. */
  public List<String> entryNames() {
    return names;
  }

  private static List<String> uniqueNames(List<Path> files) {
    Set<String> used = new HashSet<>();
    return files.stream().map(file -> BundleFormat.uniqueName(file.getFileName().toString(), used)).toList();
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
      entry.setMode(BundleFormat.modeOf(Files.isExecutable(file)));
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
}
