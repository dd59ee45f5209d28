package io.sparkstaging.server.store;

import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A manifest bundle as one tar ({@link BundleFormat}), assembled as it is read: each file's header,
 * its bytes from its blob, padding to the next 512-byte record, then the end-of-archive marker.
 * The same manifest and time always give the same bytes, so the download's length, ranges and
 * entity tag hold across requests and servers. Blobs are opened one at a time, as the reader
 * reaches them.
 */
public final class AssembledTar extends ReadOnlyChannel {
  private static final int RECORD = TarConstants.DEFAULT_RCDSIZE;
  private static final int END_MARKER = 2 * RECORD;

  /** Opens one file's bytes by its digest. */
  @FunctionalInterface
  public interface Blobs {
    SeekableByteChannel open(String sha256) throws IOException;
  }

  private final List<ManifestFile> files;
  private final Blobs blobs;
  private final Layout layout;
  private int openFile = -1;
  private SeekableByteChannel openBlob;

  /**
   * Where each file's header and bytes start, and the headers themselves.
   *
   * @param size the whole tar's, end-of-archive marker included
   */
  private record Layout(byte[][] headers, long[] headerStarts, long[] dataStarts, long size) {
    static Layout of(List<ManifestFile> files, Instant modified) {
      int count = files.size();
      byte[][] headers = new byte[count][];
      long[] headerStarts = new long[count];
      long[] dataStarts = new long[count];
      long offset = 0;
      for (int i = 0; i < count; i++) {
        headers[i] = header(files.get(i), modified);
        headerStarts[i] = offset;
        dataStarts[i] = offset + headers[i].length;
        offset = dataStarts[i] + padded(files.get(i).size());
      }
      return new Layout(headers, headerStarts, dataStarts, offset + END_MARKER);
    }
  }

  private AssembledTar(List<ManifestFile> files, Layout layout, Blobs blobs) {
    super(layout.size());
    this.files = files;
    this.layout = layout;
    this.blobs = blobs;
  }

  public static AssembledTar open(Manifest manifest, Instant modified, Blobs blobs) {
    return new AssembledTar(manifest.files(), Layout.of(manifest.files(), modified), blobs);
  }

  /** The length of the tar a manifest assembles to. */
  public static long sizeOf(Manifest manifest, Instant modified) {
    return Layout.of(manifest.files(), modified).size();
  }

  /** The header records of one file, with a pax header before them for a long or non-ASCII name, as the client writes them. */
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

  @Override
  public int read(ByteBuffer dst) throws IOException {
    requireOpen();
    if (position() >= size()) {
      return -1;
    }
    int before = dst.position();
    while (dst.hasRemaining() && position() < size()) {
      long position = position();
      int file = fileAt(position);
      int read;
      if (file < 0 || position >= layout.dataStarts()[file] + files.get(file).size()) {
        read = zeros(dst, (file < 0 ? size() : nextStart(file)) - position);
      } else if (position < layout.dataStarts()[file]) {
        byte[] header = layout.headers()[file];
        int from = (int) (position - layout.headerStarts()[file]);
        read = Math.min(dst.remaining(), header.length - from);
        dst.put(header, from, read);
      } else {
        read = readBlob(file, dst);
      }
      advance(read);
    }
    return dst.position() - before;
  }

  /** The file whose header, bytes or padding hold {@code offset}, or -1 in the end marker. */
  private int fileAt(long offset) {
    int found = Arrays.binarySearch(layout.headerStarts(), offset);
    int file = found >= 0 ? found : -found - 2;
    return file >= 0 && file < files.size() && offset < nextStart(file) ? file : -1;
  }

  private long nextStart(int file) {
    return file + 1 < files.size() ? layout.headerStarts()[file + 1] : size() - END_MARKER;
  }

  private static int zeros(ByteBuffer dst, long available) {
    int count = (int) Math.min(dst.remaining(), available);
    for (int i = 0; i < count; i++) {
      dst.put((byte) 0);
    }
    return count;
  }

  private int readBlob(int file, ByteBuffer dst) throws IOException {
    if (openFile != file) {
      closeBlob();
      openBlob = blobs.open(files.get(file).sha256());
      openFile = file;
    }
    long offset = position() - layout.dataStarts()[file];
    long remaining = files.get(file).size() - offset;
    openBlob.position(offset);
    ByteBuffer window = dst.slice().limit((int) Math.min(dst.remaining(), remaining));
    int read = openBlob.read(window);
    if (read < 0) {
      throw new IOException("blob " + files.get(file).sha256() + " ended " + remaining + " bytes short of its size");
    }
    dst.position(dst.position() + read);
    return read;
  }

  private void closeBlob() throws IOException {
    if (openBlob != null) {
      openBlob.close();
      openBlob = null;
      openFile = -1;
    }
  }

  @Override
  protected void closing() throws IOException {
    closeBlob();
  }
}
