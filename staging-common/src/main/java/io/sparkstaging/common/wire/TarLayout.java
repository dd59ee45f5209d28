package io.sparkstaging.common.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Where each file of a bundle staged by digest lies in the one tar the server assembles from its
 * manifest ({@link BundleFormat}): its header records (a pax header first for a long or non-ASCII
 * name, as the client writes them), its bytes, padding to the next 512-byte record, and after the
 * last file the end-of-archive marker. The same files and time always give the same bytes, so the
 * server's length, ranges and entity tag hold across requests and servers. A bundle committed at a
 * {@link #commitTime} has its files where {@link #of(List)} says, so that a reader that has the
 * manifest knows which range of the tar holds which files.
 */
public final class TarLayout {
  public static final int RECORD = TarConstants.DEFAULT_RCDSIZE;
  private static final int END_MARKER = 2 * RECORD;

  /** Null for a layout of positions only. */
  private final byte[][] headers;
  private final long[] starts;
  private final long[] dataStarts;
  private final long[] ends;
  private final long size;

  private TarLayout(byte[][] headers, long[] starts, long[] dataStarts, long[] ends, long size) {
    this.headers = headers;
    this.starts = starts;
    this.dataStarts = dataStarts;
    this.ends = ends;
    this.size = size;
  }

  /**
   * The time to commit a bundle staged by digest at, which its tar's entries carry: whole seconds,
   * which a ustar header holds without a pax record (a fraction of a second takes one), so that
   * where each file lies depends on the files alone.
   */
  public static Instant commitTime(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Where each file lies in the tar of a bundle committed at a {@link #commitTime}: the positions only, not the headers' bytes. */
  public static TarLayout of(List<ManifestFile> files) {
    return layOut(files, null);
  }

  /** @param modified every entry's modification time */
  public static TarLayout of(List<ManifestFile> files, Instant modified) {
    return layOut(files, modified);
  }

  /** @param modified null for positions only, at a whole-second time */
  private static TarLayout layOut(List<ManifestFile> files, Instant modified) {
    int count = files.size();
    byte[][] headers = modified == null ? null : new byte[count][];
    long[] starts = new long[count];
    long[] dataStarts = new long[count];
    long[] ends = new long[count];
    long offset = 0;
    for (int i = 0; i < count; i++) {
      int headerLength;
      if (headers != null) {
        headers[i] = header(files.get(i), modified);
        headerLength = headers[i].length;
      } else {
        headerLength = headerLength(files.get(i));
      }
      starts[i] = offset;
      dataStarts[i] = offset + headerLength;
      ends[i] = dataStarts[i] + padded(files.get(i).size());
      offset = ends[i];
    }
    return new TarLayout(headers, starts, dataStarts, ends, offset + END_MARKER);
  }

  /**
   * The length of a file's header records at a whole-second time: one record when a ustar header
   * holds it all, an ASCII name shorter than its 100-byte field and a size that fits in its 11
   * octal digits, as most files' do (making a header costs a cold JVM more than fetching a small
   * file); else the length of the header made.
   */
  static int headerLength(ManifestFile file) {
    String name = file.name();
    boolean ustarOnly = name.length() < 100 && file.size() <= 077777777777L;
    for (int i = 0; ustarOnly && i < name.length(); i++) {
      ustarOnly = name.charAt(i) < 0x80;
    }
    return ustarOnly ? RECORD : header(file, Instant.EPOCH).length;
  }

  /** The whole tar's length, end-of-archive marker included. */
  public long size() {
    return size;
  }

  /** The headers' bytes in all, for weighing a layout kept in memory; 0 for positions only. */
  public long headerBytes() {
    long sum = 0;
    for (int i = 0; headers != null && i < headers.length; i++) {
      sum += headers[i].length;
    }
    return sum;
  }

  public int files() {
    return starts.length;
  }

  /** Where file {@code i}'s header starts. */
  public long start(int i) {
    return starts[i];
  }

  /** Where file {@code i}'s bytes start, after its header. */
  public long dataStart(int i) {
    return dataStarts[i];
  }

  /** Where file {@code i}'s padding ends: the next file's start, or the end-of-archive marker's. */
  public long end(int i) {
    return ends[i];
  }

  /**
   * Puts as much of file {@code i}'s header records, from byte {@code from} on, as {@code dst} has
   * room for; returns how much. Only a layout made with its time has them.
   */
  public int putHeader(int i, int from, ByteBuffer dst) {
    if (headers == null) {
      throw new IllegalStateException("a layout of positions only has no headers");
    }
    int count = Math.min(dst.remaining(), headers[i].length - from);
    dst.put(headers[i], from, count);
    return count;
  }

  private static byte[] header(ManifestFile file, Instant modified) {
    var out = new ByteArrayOutputStream(RECORD * 3);
    try {
      // One-record blocks: every record reaches the buffer as soon as it is complete. The stream
      // is dropped unfinished: only its headers are wanted.
      @SuppressWarnings("resource")
      var tar = new TarArchiveOutputStream(out, RECORD);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      var entry = new TarArchiveEntry(file.name());
      entry.setSize(file.size());
      entry.setMode(file.mode());
      entry.setModTime(Date.from(modified));
      tar.putArchiveEntry(entry);
      tar.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing a tar header to memory failed", e);
    }
    return out.toByteArray();
  }

  private static long padded(long length) {
    return (length + RECORD - 1) / RECORD * RECORD;
  }
}
