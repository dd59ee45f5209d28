import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.PendingBundle;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.upload.Quotas;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the caps cost an upload when many bundles are stored: one upload of SIZE MiB metered
 * through Quotas (both caps set) over a store listing N bundles, timed; the store is in memory,
 * so only the caps' own work is measured.
 *
 *   java -cp staging-server/target/staging-server.jar bench/probes/QuotaScan.java [N] [SIZE_MIB]
 */
public final class QuotaScan {
  public static void main(String[] args) throws Exception {
    int bundles = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    var records = new ArrayList<BundleRecord>();
    for (int i = 0; i < bundles; i++) {
      records.add(new BundleRecord(new BundleId(String.format("%032x", i)), new BundleOwner("ns-" + (i % 100), Map.of("a", "b"),
          BundleOwner.OwnerType.Pod), SecretDigest.of("s"), 1024, "00", Instant.EPOCH, Optional.empty(), Optional.empty()));
    }
    BundleStore store = new Listing(List.copyOf(records));
    var quotas = new Quotas(store, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
    for (int round = 0; round < 3; round++) {
      long started = System.nanoTime();
      try (var room = quotas.reserve("ns-1", -1)) {
        room.meter(new Zeros((long) mib << 20)).transferTo(OutputStream.nullOutputStream());
      }
      System.out.printf("round %d: %d MiB metered over %d stored bundles in %.3f s%n", round + 1, mib, bundles,
          (System.nanoTime() - started) / 1e9);
    }
  }

  private record Listing(Collection<BundleRecord> records) implements BundleStore {
    public PendingBundle create(long maxSize, long expectedSize) { throw new UnsupportedOperationException(); }
    public Optional<BundleRecord> find(BundleId id) { return Optional.empty(); }
    public SeekableByteChannel open(BundleId id) { throw new UnsupportedOperationException(); }
    public Collection<BundleRecord> list() { return records; }
    public void recordFirstDownload(BundleId id) { }
    public void recordOwnerSeen(BundleId id) { }
    public boolean delete(BundleId id) { return false; }
    public void checkWritable() { }
    public void close() { }
  }

  /** {@code size} zero bytes, read 64 KiB at a time, as a socket hands them over. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long size) {
      left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? 0 : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(Math.min(length, 64 * 1024), left);
      left -= n;
      return n;
    }
  }
}
