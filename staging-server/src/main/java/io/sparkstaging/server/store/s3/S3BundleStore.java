package io.sparkstaging.server.store.s3;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.config.S3Config;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.AssembledTar;
import io.sparkstaging.server.store.BlobStore;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.ContentMeter;
import io.sparkstaging.server.store.PendingBundle;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bundles in an S3-compatible bucket (layout in {@link S3Keys}), shared by any number of servers:
 * every fact about a bundle is in the bucket, so any server can serve, delete and clean up any
 * bundle. A bundle becomes visible when its metadata object is written, after its content is
 * complete; it stops being visible when that object is deleted, before anything else.
 *
 * <p>{@link #find} asks the bucket every time, so a bundle uploaded or deleted through another
 * server is seen at once. {@link #list} answers from {@link VisibleBundles}, refreshed in the
 * background.
 */
public final class S3BundleStore implements BundleStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(S3BundleStore.class);

  private final S3Bucket bucket;
  private final VisibleBundles visible;
  private final BundleEvents events;
  private final DownloadLinks links;
  private final UploadTarget uploads;
  private final S3BlobStore blobs;
  private final AssembledTar.Plans tars = new AssembledTar.Plans();
  private final ScheduledExecutorService refresher = daemonThreads("staging-s3-listing");
  /** Sends upload parts while their uploads spool the next; one part in flight per upload at most. */
  private final ExecutorService partSender = Executors.newCachedThreadPool(runnable -> daemon(runnable, "staging-s3-part"));
  private final SecureRandom random = new SecureRandom();

  private S3BundleStore(S3Bucket bucket, DownloadLinks links, SpoolDirectory spool, long partSize, Clock clock, Duration blobGrace) {
    this.bucket = bucket;
    this.visible = new VisibleBundles(bucket);
    this.events = new BundleEvents(bucket, visible, clock);
    this.links = links;
    this.uploads = new UploadTarget(bucket, spool, partSender, partSize, clock, this::publish);
    this.blobs = new S3BlobStore(bucket, uploads, links, new S3BlobStore.Bundles() {
      @Override
      public void publish(BundleRecord record) {
        S3BundleStore.this.publish(record);
      }

      @Override
      public boolean delete(BundleId id) throws IOException {
        return S3BundleStore.this.delete(id);
      }

      @Override
      public List<BundleRecord> listManifestBundlesFresh() {
        return listFresh().stream().filter(record -> record.layout() == BundleRecord.Layout.MANIFEST).toList();
      }
    }, clock, blobGrace);
  }

  /**
   * Connects, checks that the bucket can be listed, lists it, and keeps the listing fresh.
   *
   * @param minFreeSpace free space the spooled upload parts may not eat into
   * @param refreshInterval how often the bucket is listed again
   * @param blobGrace how long a blob no bundle lists is kept after it was uploaded or last reported present
   */
  public static S3BundleStore open(S3Config config, long minFreeSpace, Duration refreshInterval, Clock clock, Duration blobGrace)
      throws IOException {
    return open(config, S3Clients.client(config), minFreeSpace, refreshInterval, clock, blobGrace);
  }

  /** @param s3 the client to reach the bucket with, which the store closes */
  static S3BundleStore open(S3Config config, S3Client s3, long minFreeSpace, Duration refreshInterval, Clock clock, Duration blobGrace)
      throws IOException {
    var bucket = new S3Bucket(s3, config.bucket(), config.prefix());
    var links = new DownloadLinks(S3Clients.presigner(config), bucket, config.downloadRedirect());
    var store =
        new S3BundleStore(bucket, links, SpoolDirectory.claim(config.spoolDir(), minFreeSpace), config.partSize(), clock, blobGrace);
    try {
      store.visible.refresh();
      store.blobs.refresh();
    } catch (RuntimeException e) {
      store.close();
      throw new IOException("cannot list s3://" + config.bucket() + "/" + config.prefix() + ": " + e.getMessage(), e);
    }
    store.refresher.scheduleWithFixedDelay(store::refreshQuietly, refreshInterval.toMillis(), refreshInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("Listed {} bundle(s) in s3://{}/{}", store.visible.all().size(), config.bucket(), config.prefix());
    return store;
  }

  @Override
  public PendingBundle create(long maxSize, long expectedSize) {
    ContentMeter.requireWithin(expectedSize, maxSize);
    uploads.spool().requireRoomFor(Math.min(Math.max(expectedSize, 0), uploads.partSize()));
    return new S3PendingBundle(uploads, BundleId.generate(random), maxSize);
  }

  /** Makes a bundle whose content is complete visible, by writing its metadata. */
  private void publish(BundleRecord record) {
    try {
      bucket.writeMetadata(record);
    } catch (SdkException e) {
      throw unavailable("store the bundle", e);
    }
    visible.published(record);
  }

  @Override
  public Optional<BundleRecord> find(BundleId id) {
    Optional<BundleRecord> stored;
    try {
      stored = bucket.readMetadata(id);
    } catch (SdkException e) {
      throw unavailable("look the bundle up", e);
    }
    // The bucket says whether the bundle exists; the listing adds the events it has seen.
    return stored.map(record -> visible.get(id).map(listed -> new BundleRecord(record.id(), record.owner(), record.secretDigest(),
        record.size(), record.sha256Hex(), record.createdAt(), listed.firstDownloadedAt(), listed.ownerSeenAt(), record.layout()))
        .orElse(record));
  }

  @Override
  public SeekableByteChannel open(BundleId id) throws IOException {
    Optional<BundleRecord> record = visible.get(id).or(() -> bucket.readMetadata(id));
    if (record.isPresent() && record.get().layout() == BundleRecord.Layout.MANIFEST) {
      String namespace = record.get().owner().ownerNamespace();
      return tars.open(id, () -> blobs.manifest(id), record.get().createdAt(), sha256 -> blobs.open(namespace, sha256));
    }
    return S3ObjectChannel.open(bucket.client(), bucket.name(), bucket.keys().content(id));
  }

  @Override
  public Optional<BlobStore> blobs() {
    return Optional.of(blobs);
  }

  @Override
  public boolean readsMayBlock() {
    return true;
  }

  @Override
  public Optional<URI> directDownload(BundleId id) {
    return links.linkTo(id);
  }

  @Override
  public Collection<BundleRecord> list() {
    return visible.all();
  }

  @Override
  public Collection<BundleRecord> listFresh() {
    visible.refresh();
    return list();
  }

  @Override
  public long changeCount() {
    return visible.changeCount() + blobs.changeCount();
  }

  @Override
  public void recordFirstDownload(BundleId id) throws IOException {
    events.firstDownload(id);
  }

  @Override
  public void recordOwnerSeen(BundleId id) throws IOException {
    events.ownerSeen(id);
  }

  /**
   * The metadata first: from that moment the bundle is gone for every server, whatever happens
   * next. Keys that a failure leaves behind are a leftover, which cleanup removes.
   */
  @Override
  public boolean delete(BundleId id) throws IOException {
    try {
      if (bucket.readMetadata(id).isEmpty()) {
        return false;
      }
      bucket.deleteMetadata(id);
      visible.deleted(id);
      bucket.deleteKeys(bucket.keysOf(id));
    } catch (SdkException e) {
      throw new IOException("the object store refused the deletion: " + e.getMessage(), e);
    }
    return true;
  }

  @Override
  public void removeLeftovers(Instant now) {
    new LeftoverSweeper(bucket).sweep(visible.leftovers(), now);
    blobs.sweep(now);
  }

  @Override
  public void checkWritable() throws IOException {
    try {
      bucket.probe();
    } catch (SdkException e) {
      throw new IOException("the bucket cannot be listed: " + e.getMessage(), e);
    }
    if (uploads.spool().isLow()) {
      throw new IOException("free disk space for spooling uploads is below the reserve");
    }
  }

  // A failed listing must not cancel the schedule; the previous one stays the answer meanwhile.
  private void refreshQuietly() {
    try {
      visible.refresh();
      blobs.refresh();
    } catch (RuntimeException e) {
      log.warn("Listing the bucket failed; the previous listing is used until the next one: {}", e.toString());
    }
  }

  /** The client gets a 503 to retry on; the operator gets the store's own words. */
  static StagingException unavailable(String action, SdkException cause) {
    log.warn("The object store could not {}: {}", action, cause.toString());
    return new StagingException(Problem.UNAVAILABLE, "the object store could not " + action + " now; try again", cause);
  }

  private static ScheduledExecutorService daemonThreads(String name) {
    return Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, name));
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    partSender.shutdownNow();
    bucket.client().close();
    links.close();
    uploads.spool().close();
  }
}
