package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.config.S3Config;
import io.sparkstaging.server.errors.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.ContentMeter;
import io.sparkstaging.server.store.DiskSpace;
import io.sparkstaging.server.store.MetadataCodec;
import io.sparkstaging.server.store.PendingBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.SeekableByteChannel;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Bundles in an S3-compatible bucket (layout in {@link S3Keys}), shared by any number of servers:
 * every fact about a bundle is in the bucket, so any server can serve, delete and clean up any
 * bundle. A bundle becomes visible when its metadata object is written, after its content is
 * complete; it stops being visible when that object is deleted, before anything else.
 *
 * <p>{@link #find} asks the bucket every time, so a bundle uploaded or deleted through another
 * server is seen at once. {@link #list} answers from a listing refreshed in the background (plus
 * this server's own changes), because quotas and metrics ask for it on every upload and scrape.
 */
public final class S3BundleStore implements BundleStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(S3BundleStore.class);
  /** Leftovers younger than this may belong to an upload or deletion still under way. */
  static final Duration LEFTOVER_AGE = Duration.ofHours(1);
  /** Multipart uploads started longer ago than this were abandoned by a server that died: no upload lasts a day. */
  static final Duration ABANDONED_UPLOAD_AGE = Duration.ofDays(1);

  private final AtomicLong changes = new AtomicLong();
  private final S3Config config;
  private final S3Client s3;
  private final S3Presigner presigner;
  private final S3Keys keys;
  private final Clock clock;
  private final DiskSpace spoolSpace;
  private final SpoolDirectory spoolDir;
  private final ScheduledExecutorService refresher;
  /** Sends upload parts while their uploads spool the next; one part in flight per upload at most. */
  private final ExecutorService partSender = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "staging-s3-part");
    thread.setDaemon(true);
    return thread;
  });
  private final SecureRandom random = new SecureRandom();
  private final MetadataCodec codec = new MetadataCodec();
  /** Metadata never changes once written, so a listing reads each bundle's only once. */
  private final Map<BundleId, BundleRecord> metadataCache = new ConcurrentHashMap<>();
  private final Object listingLock = new Object();
  private volatile Map<BundleId, BundleRecord> visible = new ConcurrentHashMap<>();
  private volatile Map<BundleId, BundleListing.Leftover> leftovers = Map.of();
  /** This server's changes during a listing, which the listing may have missed; null when none runs. */
  private Map<BundleId, Optional<BundleRecord>> changesDuringListing;

  private S3BundleStore(S3Config config, S3Client s3, S3Presigner presigner, Clock clock, DiskSpace spoolSpace, SpoolDirectory spoolDir) {
    this.config = config;
    this.s3 = s3;
    this.presigner = presigner;
    this.keys = new S3Keys(config.prefix());
    this.clock = clock;
    this.spoolSpace = spoolSpace;
    this.spoolDir = spoolDir;
    this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "staging-s3-listing");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Connects, checks that the bucket can be listed, lists it, and keeps the listing fresh.
   *
   * @param minFreeSpace free space the spooled upload parts may not eat into
   * @param refreshInterval how often the bucket is listed again
   */
  public static S3BundleStore open(S3Config config, long minFreeSpace, Duration refreshInterval, Clock clock) throws IOException {
    SpoolDirectory spoolDir = SpoolDirectory.claim(config.spoolDir());
    S3Client s3 = S3Clients.client(config);
    var store = new S3BundleStore(config, s3, S3Clients.presigner(config), clock, DiskSpace.of(spoolDir.path(), minFreeSpace), spoolDir);
    try {
      store.refresh();
    } catch (RuntimeException e) {
      store.close();
      throw new IOException("cannot list s3://" + config.bucket() + "/" + config.prefix() + ": " + e.getMessage(), e);
    }
    store.refresher.scheduleWithFixedDelay(store::refreshQuietly, refreshInterval.toMillis(), refreshInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("Listed {} bundle(s) in s3://{}/{}", store.visible.size(), config.bucket(), config.prefix());
    return store;
  }

  @Override
  public PendingBundle create(long maxSize, long expectedSize) {
    ContentMeter.requireWithin(expectedSize, maxSize);
    spoolSpace.requireRoomFor(Math.min(Math.max(expectedSize, 0), config.partSize()));
    BundleId id = BundleId.generate(random);
    return new S3PendingBundle(this, id, maxSize, config.partSize(), spoolDir.path());
  }

  /** Makes a bundle whose content is complete visible, by writing its metadata. */
  void publish(BundleRecord record) {
    try {
      byte[] json = codec.encode(record);
      s3.putObject(put -> put.bucket(config.bucket()).key(keys.metadata(record.id())).contentType("application/json"),
          RequestBody.fromBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SdkException e) {
      throw unavailable("store the bundle", e);
    }
    metadataCache.put(record.id(), record);
    change(record.id(), Optional.of(record));
  }

  @Override
  public Optional<BundleRecord> find(BundleId id) {
    Optional<BundleRecord> stored;
    try {
      stored = readMetadata(id);
    } catch (SdkException e) {
      throw unavailable("look the bundle up", e);
    }
    BundleRecord listed = visible.get(id);
    return stored.map(record -> listed == null ? record : new BundleRecord(record.id(), record.owner(), record.secretDigest(),
        record.size(), record.sha256Hex(), record.createdAt(), listed.firstDownloadedAt(), listed.ownerSeenAt()));
  }

  private Optional<BundleRecord> readMetadata(BundleId id) {
    byte[] json;
    try {
      json = s3.getObjectAsBytes(get -> get.bucket(config.bucket()).key(keys.metadata(id))).asByteArray();
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(codec.decode(json));
    } catch (IOException e) {
      log.error("Ignoring bundle {}: its metadata cannot be read: {}", id, e.toString());
      return Optional.empty();
    }
  }

  @Override
  public SeekableByteChannel open(BundleId id) throws IOException {
    return S3ObjectChannel.open(s3, config.bucket(), keys.content(id));
  }

  @Override
  public boolean readsMayBlock() {
    return true;
  }

  @Override
  public Optional<URI> directDownload(BundleId id) {
    return config.downloadRedirect().map(ttl -> {
      try {
        return presigner.presignGetObject(presign -> presign.signatureDuration(ttl)
            .getObjectRequest(get -> get.bucket(config.bucket()).key(keys.content(id)))).url().toURI();
      } catch (URISyntaxException e) {
        throw new IllegalStateException("the SDK presigned a malformed URL", e);
      }
    });
  }

  @Override
  public Collection<BundleRecord> list() {
    return List.copyOf(visible.values());
  }

  @Override
  public Collection<BundleRecord> listFresh() {
    refresh();
    return list();
  }

  @Override
  public void recordFirstDownload(BundleId id) throws IOException {
    Instant now = clock.instant();
    recordEvent(id, S3Keys.DOWNLOADED, now, record -> record.firstDownloadedAt().isPresent() ? record : record.downloadedAt(now));
  }

  @Override
  public void recordOwnerSeen(BundleId id) throws IOException {
    Instant now = clock.instant();
    recordEvent(id, S3Keys.OWNER_SEEN, now, record -> record.ownerSeenAt().isPresent() ? record : record.ownerSeenAt(now));
  }

  /** Writes an event key unless this server already knows of one; a bundle that is gone is left alone. */
  private void recordEvent(BundleId id, String kind, Instant when, UnaryOperator<BundleRecord> change) throws IOException {
    BundleRecord listed = visible.get(id);
    BundleRecord current;
    try {
      // Not listed yet: uploaded through another server since this one last listed the bucket.
      current = listed != null ? listed : readMetadata(id).orElse(null);
    } catch (SdkException e) {
      throw new IOException("the object store could not be asked for the bundle: " + e.getMessage(), e);
    }
    BundleRecord updated = current == null ? null : change.apply(current);
    if (updated == null || updated.equals(current)) {
      return;
    }
    try {
      s3.putObject(put -> put.bucket(config.bucket()).key(keys.event(id, kind, when)), RequestBody.empty());
    } catch (SdkException e) {
      throw new IOException("the object store refused the event: " + e.getMessage(), e);
    }
    synchronized (listingLock) {
      boolean changed = listed != null ? visible.replace(id, listed, updated) : visible.putIfAbsent(id, updated) == null;
      if (changed && changesDuringListing != null) {
        changesDuringListing.put(id, Optional.of(updated));
      }
    }
  }

  @Override
  public boolean delete(BundleId id) throws IOException {
    try {
      if (readMetadata(id).isEmpty()) {
        return false;
      }
      // The metadata first: from that moment the bundle is gone for every server, whatever happens next.
      s3.deleteObject(delete -> delete.bucket(config.bucket()).key(keys.metadata(id)));
      change(id, Optional.empty());
      deleteKeys(s3.listObjectsV2Paginator(list -> list.bucket(config.bucket()).prefix(keys.dir(id))).contents().stream()
          .map(S3Object::key).toList());
    } catch (SdkException e) {
      throw new IOException("the object store refused the deletion: " + e.getMessage(), e);
    }
    metadataCache.remove(id);
    return true;
  }

  /**
   * One DELETE a key: a bundle has a few. DeleteObjects would batch them, but S3 demands a checksum
   * header on it that several S3-compatible stores refuse.
   */
  private void deleteKeys(List<String> doomed) {
    for (String key : doomed) {
      s3.deleteObject(delete -> delete.bucket(config.bucket()).key(key));
    }
  }

  @Override
  public void removeLeftovers(Instant now) {
    leftovers.forEach((id, leftover) -> {
      if (leftover.newest().plus(LEFTOVER_AGE).isBefore(now)) {
        log.info("Removing {} object(s) of bundle {}, left without metadata by an interrupted upload or deletion", leftover.keys().size(), id);
        deleteKeys(leftover.keys());
        metadataCache.remove(id);
      }
    });
    for (MultipartUpload upload : s3.listMultipartUploadsPaginator(list -> list.bucket(config.bucket()).prefix(keys.bundles())).uploads()) {
      if (upload.initiated().plus(ABANDONED_UPLOAD_AGE).isBefore(now)) {
        log.info("Aborting an upload abandoned since {}: {}", upload.initiated(), upload.key());
        s3.abortMultipartUpload(abort -> abort.bucket(config.bucket()).key(upload.key()).uploadId(upload.uploadId()));
      }
    }
  }

  @Override
  public void checkWritable() throws IOException {
    try {
      s3.listObjectsV2(list -> list.bucket(config.bucket()).prefix(keys.bundles()).maxKeys(1));
    } catch (SdkException e) {
      throw new IOException("the bucket cannot be listed: " + e.getMessage(), e);
    }
    if (spoolSpace.isLow()) {
      throw new IOException("free disk space for spooling uploads is below the reserve");
    }
  }

  /**
   * Lists the bucket and makes the result the answer of {@link #list}, with this server's changes
   * made meanwhile. Synchronized: the background refresh and cleanup's fresh listing take turns.
   */
  synchronized void refresh() {
    synchronized (listingLock) {
      changesDuringListing = new HashMap<>();
    }
    try {
      BundleListing listing = BundleListing.of(
          s3.listObjectsV2Paginator(list -> list.bucket(config.bucket()).prefix(keys.bundles())).contents(), keys,
          id -> Optional.ofNullable(metadataCache.get(id)).or(() -> readMetadata(id).map(record -> {
            metadataCache.put(id, record);
            return record;
          })));
      var listed = new ConcurrentHashMap<>(listing.visible());
      synchronized (listingLock) {
        changesDuringListing.forEach((id, change) -> change.ifPresentOrElse(record -> listed.put(id, record), () -> listed.remove(id)));
        visible = listed;
      }
      leftovers = listing.leftovers();
      metadataCache.keySet().retainAll(listed.keySet());
    } finally {
      synchronized (listingLock) {
        changesDuringListing = null;
      }
    }
  }

  @Override
  public long changeCount() {
    return changes.get();
  }

  private void change(BundleId id, Optional<BundleRecord> record) {
    changes.incrementAndGet();
    synchronized (listingLock) {
      record.ifPresentOrElse(value -> visible.put(id, value), () -> visible.remove(id));
      if (changesDuringListing != null) {
        changesDuringListing.put(id, record);
      }
    }
  }

  // A failed listing must not cancel the schedule; the previous one stays the answer meanwhile.
  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("Listing the bucket failed; the previous listing is used until the next one: {}", e.toString());
    }
  }

  /** The client gets a 503 to retry on; the operator gets the store's own words. */
  static StagingException unavailable(String action, SdkException cause) {
    log.warn("The object store could not {}: {}", action, cause.toString());
    return new StagingException(Problem.UNAVAILABLE, "the object store could not " + action + " now; try again", cause);
  }

  StagingException spoolFailure(IOException cause) {
    if (spoolSpace.isLow()) {
      return spoolSpace.full();
    }
    return new StagingException(Problem.INTERNAL_ERROR, "the staging server could not spool the upload", cause);
  }

  S3Client s3() {
    return s3;
  }

  String bucket() {
    return config.bucket();
  }

  S3Keys keys() {
    return keys;
  }

  Clock clock() {
    return clock;
  }

  DiskSpace spoolSpace() {
    return spoolSpace;
  }

  ExecutorService partSender() {
    return partSender;
  }

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    partSender.shutdownNow();
    s3.close();
    presigner.close();
    spoolDir.close();
  }
}
