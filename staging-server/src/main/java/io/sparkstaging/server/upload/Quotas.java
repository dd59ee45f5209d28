package io.sparkstaging.server.upload;

import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BlobStore;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.commons.io.input.ObservableInputStream;

/**
 * Caps on stored bytes: for the whole server and for each namespace. Uploads in progress hold
 * reservations that grow with their bytes, so concurrent uploads cannot together overshoot a cap.
 * Stored bytes are totalled from the store's listing again only when this server has committed or
 * deleted a bundle since ({@link BundleStore#changeCount()}), or after {@link #REFRESH} (for what
 * other servers on a shared bucket changed): not at every megabyte of every upload, as before,
 * when 100,000 stored bundles made that a scan of them all per MiB under this class's lock.
 */
public final class Quotas {
  private static final long GROWTH_STEP = 1024 * 1024;
  static final Duration REFRESH = Duration.ofSeconds(1);

  private final BundleStore store;
  private final long maxTotal;
  private final long maxPerNamespace;
  private final Set<Reservation> inFlight = new HashSet<>();
  private final LongSupplier nanoTime;
  private Totals stored;

  /** @param maxTotal 0 for no global cap; @param maxPerNamespace 0 for no per-namespace cap */
  public Quotas(BundleStore store, long maxTotal, long maxPerNamespace) {
    this(store, maxTotal, maxPerNamespace, System::nanoTime);
  }

  Quotas(BundleStore store, long maxTotal, long maxPerNamespace, LongSupplier nanoTime) {
    this.store = store;
    this.maxTotal = maxTotal;
    this.maxPerNamespace = maxPerNamespace;
    this.nanoTime = nanoTime;
  }

  /** Stored bytes, in all and by namespace, as counted at {@code countedAt} when the store's change count was {@code changes}. */
  private record Totals(long total, Map<String, Long> byNamespace, long countedAt, long changes) {
    static Totals count(Collection<BundleRecord> records, Map<String, Long> blobs, long now, long changes) {
      var byNamespace = new HashMap<>(blobs);
      long total = blobs.values().stream().mapToLong(Long::longValue).sum();
      for (BundleRecord record : records) {
        total += record.storedBytes();
        byNamespace.merge(record.owner().ownerNamespace(), record.storedBytes(), Long::sum);
      }
      return new Totals(total, byNamespace, now, changes);
    }

    long of(String namespace) {
      return namespace == null ? 0 : byNamespace.getOrDefault(namespace, 0L);
    }
  }

  private Totals stored() {
    long now = nanoTime.getAsLong();
    long changes = store.changeCount();
    if (stored == null || stored.changes() != changes || now - stored.countedAt() >= REFRESH.toNanos()) {
      stored = Totals.count(store.list(), store.blobs().map(BlobStore::storedBytes).orElse(Map.of()), now, changes);
    }
    return stored;
  }

  /**
   * Reserves room for an upload before its body is read.
   *
   * @param namespace the owner's namespace, or null if not known yet (v0 may send the owner last)
   * @param expectedBytes the announced size, or -1
   */
  public synchronized Reservation reserve(String namespace, long expectedBytes) {
    var reservation = new Reservation(namespace);
    check(reservation, Math.max(expectedBytes, 0));
    reservation.bytes = Math.max(expectedBytes, 0);
    inFlight.add(reservation);
    return reservation;
  }

  /** Uploads under way, each holding a reservation until it is stored or refused. */
  public synchronized int uploadsInFlight() {
    return inFlight.size();
  }

  private synchronized void grow(Reservation reservation, long bytes) {
    if (bytes > reservation.bytes) {
      check(reservation, bytes);
      reservation.bytes = bytes;
    }
  }

  private synchronized void assign(Reservation reservation, String namespace) {
    reservation.namespace = namespace;
    check(reservation, reservation.bytes);
  }

  private synchronized void release(Reservation reservation) {
    inFlight.remove(reservation);
  }

  /** Refuses if {@code bytes} for this reservation, with everything stored and reserved by others, exceed a cap. */
  private void check(Reservation reservation, long bytes) {
    if (maxTotal <= 0 && (maxPerNamespace <= 0 || reservation.namespace == null)) {
      return;
    }
    Totals totals = stored();
    long total = bytes + totals.total();
    long namespace = bytes + totals.of(reservation.namespace);
    for (Reservation other : inFlight) {
      if (other != reservation) {
        total += other.bytes;
        if (reservation.namespace != null && reservation.namespace.equals(other.namespace)) {
          namespace += other.bytes;
        }
      }
    }
    if (maxTotal > 0 && total > maxTotal) {
      throw new StagingException(Problem.INSUFFICIENT_STORAGE,
          "the server's storage cap of " + ByteSize.format(maxTotal) + " is reached; try again when older bundles are gone");
    }
    if (maxPerNamespace > 0 && reservation.namespace != null && namespace > maxPerNamespace) {
      throw new StagingException(Problem.QUOTA_EXCEEDED, "namespace " + reservation.namespace + " would exceed its quota of "
          + ByteSize.format(maxPerNamespace) + " of staged bundles");
    }
  }

  /** Room held for one upload; close it once the upload is stored or abandoned. */
  public final class Reservation implements AutoCloseable {
    private String namespace;
    private long bytes;

    private Reservation(String namespace) {
      this.namespace = namespace;
    }

    /** The owner arrived after the bundle (v0): now the namespace cap applies too. */
    public void assign(String ownerNamespace) {
      Quotas.this.assign(this, ownerNamespace);
    }

    /** The final size, checked before the bundle is made visible: the last bytes may not have reached a growth step. */
    public void settle(long size) {
      grow(this, size);
    }

    /** The body, counted against the caps as it is read: an upload over a cap stops while streaming. */
    public InputStream meter(InputStream body) {
      var observed = new ObservableInputStream(body);
      observed.add(new ObservableInputStream.Observer() {
        private long count;
        private long nextCheck = GROWTH_STEP;

        @Override
        public void data(byte[] buffer, int offset, int length) {
          count += length;
          if (count >= nextCheck) {
            grow(Reservation.this, count);
            nextCheck = count + GROWTH_STEP;
          }
        }

        @Override
        public void data(int value) {
          data(new byte[] {(byte) value}, 0, 1);
        }
      });
      return observed;
    }

    @Override
    public void close() {
      release(this);
    }
  }
}
