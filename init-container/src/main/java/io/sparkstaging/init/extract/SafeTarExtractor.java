package io.sparkstaging.init.extract;

import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.fetch.FetchFailure;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Unpacks an untrusted bundle ({@link BundleFormat}) into an empty directory, refusing anything that
 * could write elsewhere or exhaust the disk: absolute names, {@code ..} segments, links of any
 * kind, devices and FIFOs, repeated or colliding names, more entries or more unpacked bytes than
 * the limits. A stream that is not a whole tar archive, end-of-archive marker included, is refused
 * too: a text file, a zip or an empty body is not an empty bundle. A refusal names the entry; the
 * caller discards the directory, so nothing half-unpacked is used.
 */
public final class SafeTarExtractor {
  private static final Set<Byte> REGULAR_OR_DIRECTORY =
      Set.of(TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG, TarConstants.LF_DIR);

  private final ExtractLimits limits;

  public SafeTarExtractor(ExtractLimits limits) {
    this.limits = limits;
  }

  /** @return how many files were written */
  public int extract(InputStream bundle, Path destination) throws IOException {
    // The guard against decompression bombs: reading a byte past the limit is a refusal.
    InputStream unpacked = BoundedInputStream.builder()
        .setInputStream(new DecodeErrors(BundleFormat.tarStreamOf(bundle)))
        .setMaxCount(limits.maxUnpackedBytes() + 1)
        .setOnMaxCount((max, count) -> {
          throw new ContentRejected("the bundle unpacks to more than " + limits.maxUnpackedBytes() + " bytes (--max-unpacked-size)");
        })
        .get();
    var tar = new EndMarkedTar(unpacked);
    var writer = new EntryWriter(destination);
    InputStream content = new DecodeErrors(tar);
    int entries = 0;
    int files = 0;
    for (TarArchiveEntry entry = tar.next(); entry != null; entry = tar.next()) {
      if (++entries > limits.maxEntries()) {
        throw new ContentRejected("the bundle holds more than " + limits.maxEntries() + " entries");
      }
      check(entry);
      if (entry.isDirectory()) {
        writer.directory(entry.getName());
      } else {
        writer.file(entry.getName(), content, BundleFormat.isExecutable(entry.getMode()));
        files++;
      }
    }
    if (!tar.endMarkerSeen()) {
      throw new ContentRejected(entries == 0
          ? "not a tar archive: it ended after " + tar.getBytesRead() + " bytes with neither an entry nor an end-of-archive marker"
          : "the tar archive ends without its end-of-archive marker, after " + entries + " entries: it was cut short");
    }
    // Whatever follows the end-of-archive marker still counts against the size limit.
    unpacked.transferTo(OutputStream.nullOutputStream());
    return files;
  }

  private static void check(TarArchiveEntry entry) throws ContentRejected {
    String name = entry.getName();
    if (entry.isSymbolicLink() || entry.isLink()) {
      throw EntryWriter.reject(name, "is a link (to '" + entry.getLinkName() + "')");
    }
    // An allow-list of type flags: TarArchiveEntry.isFile() is true for anything not a directory,
    // FIFOs and devices included.
    if (!REGULAR_OR_DIRECTORY.contains(entry.getLinkFlag())) {
      throw EntryWriter.reject(name, "is not a regular file or directory (device, FIFO or special entry)");
    }
    if (entry.isSparse()) {
      throw EntryWriter.reject(name, "is a sparse file");
    }
  }

  /** A tar stream that says whether it ended at an end-of-archive record (all zeros) or simply ran out. */
  private static final class EndMarkedTar extends TarArchiveInputStream {
    private boolean endMarkerSeen;

    EndMarkedTar(InputStream in) {
      super(in);
    }

    TarArchiveEntry next() throws IOException {
      try {
        return getNextEntry();
      } catch (ContentRejected | FetchFailure e) {
        throw e;
      } catch (IOException | RuntimeException malformed) {
        throw new ContentRejected("not a readable tar archive: " + malformed.getMessage(), malformed);
      }
    }

    @Override
    protected byte[] readRecord() throws IOException {
      byte[] record = super.readRecord();
      // Only headers are read as records: a whole record of zeros where a header belongs is the marker.
      endMarkerSeen |= record != null && isEOFRecord(record);
      return record;
    }

    boolean endMarkerSeen() {
      return endMarkerSeen;
    }
  }
}
