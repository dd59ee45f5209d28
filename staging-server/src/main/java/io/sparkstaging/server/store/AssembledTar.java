package io.sparkstaging.server.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.TarLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.List;

/**
 * A manifest bundle as one tar ({@link BundleFormat}), assembled as it is read, where {@link
 * TarLayout} puts each header, file and padding. Blobs are opened one at a time, as the reader
 * reaches them.
 */
public final class AssembledTar extends ReadOnlyChannel {
  /** Opens one file's bytes by its digest. */
  @FunctionalInterface
  public interface Blobs {
    SeekableByteChannel open(String sha256) throws IOException;
  }

  private final List<ManifestFile> files;
  private final Blobs blobs;
  private final TarLayout layout;
  private int openFile = -1;
  private SeekableByteChannel openBlob;

  private AssembledTar(List<ManifestFile> files, TarLayout layout, Blobs blobs) {
    super(layout.size());
    this.files = files;
    this.layout = layout;
    this.blobs = blobs;
  }

  /** Reads a bundle's manifest; {@link java.nio.file.NoSuchFileException} if it was deleted. */
  @FunctionalInterface
  public interface ManifestReader {
    Manifest read() throws IOException;
  }

  /**
   * The files and layouts of bundles' tars, made once per bundle (manifest read, headers written)
   * and kept for the next downloads: the pods of an application ask for the same tar, or ranges of
   * it, once each, and making a tar's headers costs more than finding its first bytes. Bounded by
   * the headers' bytes; a bundle's tar never changes, and a deleted one is refused before its tar
   * is asked for.
   */
  public static final class Plans {
    private static final long MAX_HEADER_BYTES = 16L << 20;

    private record Plan(List<ManifestFile> files, TarLayout layout) {}

    private final Cache<BundleId, Plan> plans = Caffeine.newBuilder().maximumWeight(MAX_HEADER_BYTES)
        .weigher((BundleId id, Plan plan) -> (int) Math.min(Integer.MAX_VALUE, plan.layout().headerBytes())).build();

    public AssembledTar open(BundleId id, ManifestReader manifest, Instant modified, Blobs blobs) throws IOException {
      Plan plan = plans.getIfPresent(id);
      if (plan == null) {
        List<ManifestFile> files = manifest.read().files();
        plan = new Plan(files, TarLayout.of(files, modified));
        plans.put(id, plan);
      }
      return new AssembledTar(plan.files(), plan.layout(), blobs);
    }
  }

  /** The length of the tar a manifest assembles to. */
  public static long sizeOf(Manifest manifest, Instant modified) {
    return TarLayout.of(manifest.files(), modified).size();
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
      if (file < 0 || position >= layout.dataStart(file) + files.get(file).size()) {
        read = zeros(dst, (file < 0 ? size() : layout.end(file)) - position);
      } else if (position < layout.dataStart(file)) {
        read = layout.putHeader(file, (int) (position - layout.start(file)), dst);
      } else {
        read = readBlob(file, dst);
      }
      advance(read);
    }
    return dst.position() - before;
  }

  /** The file whose header, bytes or padding hold {@code offset}, or -1 in the end marker. */
  private int fileAt(long offset) {
    int low = 0;
    int high = layout.files() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (offset < layout.start(middle)) {
        high = middle - 1;
      } else if (offset >= layout.end(middle)) {
        low = middle + 1;
      } else {
        return middle;
      }
    }
    return -1;
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
    long offset = position() - layout.dataStart(file);
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
