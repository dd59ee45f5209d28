package io.sparkstaging.init.extract;

import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Unpacks a fetched {@code --archives} file into a new directory, choosing the format by the
 * file's name as Spark does ({@code .jar} and {@code .zip}; {@code .tar}, {@code .tar.gz} and
 * {@code .tgz}; anything else is copied as it is), with the same refusals and limits as a bundle.
 */
public final class ArchiveUnpacker {
  private static final int UNIX_EXECUTE = 0100;

  private final ExtractLimits limits;

  public ArchiveUnpacker(ExtractLimits limits) {
    this.limits = limits;
  }

  /** @return how many files were written under {@code destination}, which must not exist yet */
  public int unpack(Path archive, Path destination) throws IOException {
    String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jar") || name.endsWith(".zip")) {
      Files.createDirectory(destination);
      return unzip(archive, destination);
    }
    if (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      Files.createDirectory(destination);
      try (InputStream in = Files.newInputStream(archive)) {
        return new SafeTarExtractor(limits).extract(in, destination);
      }
    }
    Files.copy(archive, destination);
    return 1;
  }

  /** From the central directory, which is what unzip and Spark trust, not the local headers. */
  private int unzip(Path archive, Path destination) throws IOException {
    var writer = new EntryWriter(destination);
    long remaining = limits.maxUnpackedBytes();
    int entries = 0;
    int files = 0;
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
        if (++entries > limits.maxEntries()) {
          throw new ContentRejected("the archive holds more than " + limits.maxEntries() + " entries");
        }
        if (entry.isUnixSymlink()) {
          throw EntryWriter.reject(entry.getName(), "is a link");
        }
        if (entry.isDirectory()) {
          writer.directory(entry.getName());
          continue;
        }
        long budget = remaining;
        try (InputStream content = BoundedInputStream.builder().setInputStream(new DecodeErrors(zip.getInputStream(entry)))
            .setMaxCount(budget + 1)
            .setOnMaxCount((max, count) -> {
              throw new ContentRejected("the archive unpacks to more than " + limits.maxUnpackedBytes() + " bytes (--max-unpacked-size)");
            }).get()) {
          remaining -= Files.size(writer.file(entry.getName(), content, (entry.getUnixMode() & UNIX_EXECUTE) != 0));
        }
        files++;
      }
    } catch (ZipException corrupt) {
      throw new ContentRejected("the archive is not a readable zip: " + corrupt.getMessage(), corrupt);
    }
    return files;
  }
}
