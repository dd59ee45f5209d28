package io.sparkstaging.server.store;

import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundles on a local file system, one directory each:
 *
 * <pre>
 * DATA_DIR/bundles/ID/content      the bytes as uploaded
 * DATA_DIR/bundles/ID/manifest.json  instead, for a bundle staged by digest: its files, kept in blobs/ ({@link LocalBlobStore})
 * DATA_DIR/bundles/ID/bundle.json  owner, secret digest, size, SHA-256, times
 * DATA_DIR/incoming/ID/            an upload in progress
 * DATA_DIR/trash/ID/               a deletion in progress
 * DATA_DIR/index.snapshot          the index as the last clean stop left it ({@link IndexSnapshot})
 * </pre>
 *
 * An upload is written and synced under {@code incoming/}, then its directory is renamed into
 * {@code bundles/} in one atomic step: a bundle directory either is complete or does not exist.
 * At start the index is rebuilt from {@code bundles/} (each bundle's metadata read from the snapshot
 * a clean stop left, or else from its files), and {@code incoming/} and {@code trash/} are emptied,
 * so that {@code kill -9} at any moment loses no committed bundle and shows no partial one. Every
 * name comes from a server-generated {@link BundleId}.
 */
public final class LocalBundleStore implements BundleStore, LocalBlobStore.Bundles, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalBundleStore.class);
  static final String CONTENT = "content";
  static final String METADATA = "bundle.json";
  static final String MANIFEST = "manifest.json";

  private final Path root;
  private final Path bundles;
  private final Path incoming;
  private final Path trash;
  private final DiskSpace diskSpace;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final SecureRandom random = new SecureRandom();
  private final MetadataCodec codec = new MetadataCodec();
  private final Map<BundleId, BundleRecord> index = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final LocalBlobStore blobs;
  private final AssembledTar.Plans tars = new AssembledTar.Plans();
  /** Changes to the index hold it shared; closing holds it alone, so the snapshot follows the last change. */
  private final ReadWriteLock changing = new ReentrantReadWriteLock();
  private boolean closed;

  private LocalBundleStore(Path root, DiskSpace diskSpace, Clock clock, Duration blobGrace, FileChannel lockChannel) {
    this.root = root;
    this.bundles = root.resolve("bundles");
    this.incoming = root.resolve("incoming");
    this.trash = root.resolve("trash");
    this.diskSpace = diskSpace;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.blobs = new LocalBlobStore(root.resolve("blobs"), incoming, diskSpace, clock, blobGrace, this);
  }

  /**
   * Opens (creating if needed) the store at {@code root}, recovering from any earlier crash.
   *
   * @param blobGrace how long a blob no bundle lists is kept after it was uploaded or last reported present
   */
  public static LocalBundleStore open(Path root, long reservedSpace, Clock clock, Duration blobGrace) throws IOException {
    DataDirectory.prepare(root);
    try {
      return open(root, DiskSpace.of(root, reservedSpace), clock, blobGrace);
    } catch (AccessDeniedException e) {
      throw DataDirectory.notWritable(root, e);
    }
  }

  /** With an explicit disk-space guard, so that tests can simulate a filling disk; {@code root} must exist. */
  static LocalBundleStore open(Path root, DiskSpace diskSpace, Clock clock, Duration blobGrace) throws IOException {
    FileChannel lockChannel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException heldByThisProcess) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("another staging server is using the data directory " + root);
    }
    var store = new LocalBundleStore(root, diskSpace, clock, blobGrace, lockChannel);
    store.recover();
    return store;
  }

  private void recover() throws IOException {
    for (Path dir : new Path[] {bundles, incoming, trash}) {
      if (OwnerOnly.ensureDirectory(dir)) {
        log.warn("{} was readable by other users of this machine; it is now the server's user's only", dir);
      }
    }
    int discarded = emptyDirectory(incoming);
    emptyDirectory(trash);
    if (discarded > 0) {
      log.info("Discarded {} interrupted upload(s) left by an earlier run", discarded);
    }
    Map<String, BundleRecord> snapshot = IndexSnapshot.take(root).orElse(Map.of());
    long bytes = 0;
    int fromSnapshot = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(bundles)) {
      for (Path dir : entries) {
        BundleRecord known = snapshot.get(dir.getFileName().toString());
        Optional<BundleRecord> record = known != null ? Optional.of(known) : load(dir);
        if (record.isPresent()) {
          index.put(record.get().id(), record.get());
          bytes += record.get().size();
          fromSnapshot += known != null ? 1 : 0;
        }
      }
    }
    log.info("Loaded {} bundle(s), {} bytes, from {} ({} as the last clean stop listed them, {} from their metadata files)", index.size(),
        bytes, root, fromSnapshot, index.size() - fromSnapshot);
    blobs.recover();
  }

  private Optional<BundleRecord> load(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    if (BundleId.parse(name).isEmpty()) {
      log.warn("Ignoring {}: not a bundle directory", dir);
      return Optional.empty();
    }
    try {
      BundleRecord record = codec.decode(Files.readAllBytes(dir.resolve(METADATA)));
      if (!record.id().value().equals(name)) {
        throw new IOException("its metadata names bundle " + record.id());
      }
      if (record.layout() == BundleRecord.Layout.MANIFEST) {
        codec.decodeManifest(Files.readAllBytes(dir.resolve(MANIFEST)));
        return Optional.of(record);
      }
      long actualSize = Files.size(dir.resolve(CONTENT));
      if (actualSize != record.size()) {
        throw new IOException("content is " + actualSize + " bytes, metadata says " + record.size());
      }
      return Optional.of(record);
    } catch (IOException e) {
      log.error("Deleting unreadable bundle {}: {}", name, e.toString());
      Path target = trash.resolve(name);
      DurableFiles.moveSynced(dir, target);
      FileTrees.deleteRecursively(target);
      return Optional.empty();
    }
  }

  private static int emptyDirectory(Path dir) throws IOException {
    int count = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        FileTrees.deleteRecursively(entry);
        count++;
      }
    }
    return count;
  }

  @Override
  public PendingBundle create(long maxSize, long expectedSize) {
    ContentMeter.requireWithin(expectedSize, maxSize);
    diskSpace.requireRoomFor(expectedSize);
    BundleId id = BundleId.generate(random);
    try {
      return new LocalPendingBundle(id, OwnerOnly.createDirectory(incoming.resolve(id.value())), maxSize, diskSpace, this);
    } catch (IOException e) {
      throw storageFailure(e);
    }
  }

  /** Called by a pending bundle whose directory is complete and synced under incoming/. */
  BundleRecord publish(BundleRecord record, Path completeDir) throws IOException {
    DurableFiles.writeSynced(completeDir.resolve(METADATA), codec.encode(record));
    DurableFiles.syncDirectory(completeDir);
    startChange();
    try {
      DurableFiles.moveSynced(completeDir, bundles.resolve(record.id().value()));
      index.put(record.id(), record);
      changes.incrementAndGet();
      return record;
    } finally {
      changing.readLock().unlock();
    }
  }

  /** Takes the change lock shared, or fails once the store is closed: a change after the snapshot would be lost from it. */
  private void startChange() throws IOException {
    changing.readLock().lock();
    if (closed) {
      changing.readLock().unlock();
      throw new IOException("the store is closed: the server is stopping");
    }
  }

  @Override
  public BundleRecord publishManifest(BundleOwner owner, SecretDigest secretDigest, Manifest manifest, Instant committed, long size)
      throws IOException {
    BundleId id = BundleId.generate(random);
    Path dir = OwnerOnly.createDirectory(incoming.resolve(id.value()));
    try {
      DurableFiles.writeSynced(dir.resolve(MANIFEST), codec.encodeManifest(manifest));
      var record = new BundleRecord(id, owner, secretDigest, size, manifest.sha256(), committed, Optional.empty(), Optional.empty(),
          BundleRecord.Layout.MANIFEST);
      return publish(record, dir);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteRecursively(dir);
      throw e;
    }
  }

  @Override
  public Manifest readManifest(BundleId id) throws IOException {
    return codec.decodeManifest(Files.readAllBytes(bundles.resolve(id.value()).resolve(MANIFEST)));
  }

  @Override
  public Optional<BlobStore> blobs() {
    return Optional.of(blobs);
  }

  @Override
  public StagingException storageFailure(IOException cause) {
    if (diskSpace.isLow()) {
      return diskSpace.full();
    }
    return new StagingException(Problem.INTERNAL_ERROR, "the staging server could not write the bundle", cause);
  }

  Clock clock() {
    return clock;
  }

  @Override
  public Optional<BundleRecord> find(BundleId id) {
    return Optional.ofNullable(index.get(id));
  }

  @Override
  public Collection<BundleRecord> list() {
    return List.copyOf(index.values());
  }

  @Override
  public void recordFirstDownload(BundleId id) throws IOException {
    update(id, record -> record.firstDownloadedAt().isPresent() ? record : record.downloadedAt(clock.instant()));
  }

  @Override
  public void recordOwnerSeen(BundleId id) throws IOException {
    update(id, record -> record.ownerSeenAt().isPresent() ? record : record.ownerSeenAt(clock.instant()));
  }

  /** Rewrites a bundle's metadata when {@code change} alters its record; a vanished bundle is left alone. */
  private synchronized void update(BundleId id, UnaryOperator<BundleRecord> change) throws IOException {
    BundleRecord current = index.get(id);
    BundleRecord updated = current == null ? null : change.apply(current);
    if (updated == null || updated.equals(current)) {
      return;
    }
    // Written beside the bundle and renamed over its metadata: a crash leaves the old or the new file, never half of one.
    Path dir = bundles.resolve(id.value());
    Path next = dir.resolve(METADATA + ".next");
    startChange();
    try {
      Files.deleteIfExists(next);
      DurableFiles.writeSynced(next, codec.encode(updated));
      DurableFiles.moveSynced(next, dir.resolve(METADATA));
      index.replace(id, current, updated);
    } catch (NoSuchFileException deletedMeanwhile) {
      // Nothing to record.
    } finally {
      changing.readLock().unlock();
    }
  }

  @Override
  public SeekableByteChannel open(BundleId id) throws IOException {
    BundleRecord record = index.get(id);
    if (record != null && record.layout() == BundleRecord.Layout.MANIFEST) {
      String namespace = record.owner().ownerNamespace();
      return tars.open(id, () -> readManifest(id), record.createdAt(), sha256 -> blobs.open(namespace, sha256));
    }
    return FileChannel.open(bundles.resolve(id.value()).resolve(CONTENT), StandardOpenOption.READ);
  }

  /** Removes the blobs that no bundle lists any more, once their grace period is over. */
  @Override
  public void removeLeftovers(Instant now) {
    blobs.sweep(now, this::listedBlobs);
  }

  private Map<String, Set<String>> listedBlobs() {
    Map<String, Set<String>> listed = new HashMap<>();
    for (BundleRecord record : index.values()) {
      if (record.layout() != BundleRecord.Layout.MANIFEST) {
        continue;
      }
      try {
        Set<String> digests = listed.computeIfAbsent(record.owner().ownerNamespace(), namespace -> new HashSet<>());
        readManifest(record.id()).files().forEach(file -> digests.add(file.sha256()));
      } catch (NoSuchFileException deletedMeanwhile) {
        // Its blobs are free now.
      } catch (IOException e) {
        // Unreadable now, perhaps not later: a sweep must not guess, so it removes nothing this time.
        throw new UncheckedIOException("cannot read the manifest of bundle " + record.id(), e);
      }
    }
    return listed;
  }

  @Override
  public long changeCount() {
    return changes.get() + blobs.changeCount();
  }

  /**
   * The bundle leaves {@code bundles/} (one durable rename into {@code trash/}) before it leaves the
   * index: a rename that fails leaves it listed and served, as it will be after a restart, rather
   * than hidden now and back then. What is in {@code trash/} is gone whatever follows, since a
   * start empties it.
   */
  @Override
  public boolean delete(BundleId id) throws IOException {
    if (!index.containsKey(id)) {
      return false;
    }
    Path target = trash.resolve(id.value());
    startChange();
    try {
      DurableFiles.moveSynced(bundles.resolve(id.value()), target);
      unlist(id);
    } catch (NoSuchFileException deletedMeanwhile) {
      // Another delete moved it first (and unlists it), or its files are gone: either way it is no more.
      unlist(id);
      return false;
    } finally {
      changing.readLock().unlock();
    }
    try {
      FileTrees.deleteRecursively(target);
    } catch (IOException e) {
      log.warn("Bundle {} is deleted, but its files stay in {} until the next start: {}", id, trash, e.toString());
    }
    return true;
  }

  private void unlist(BundleId id) {
    index.remove(id);
    changes.incrementAndGet();
  }

  @Override
  public void checkWritable() throws IOException {
    Path probe = Files.createTempFile(incoming, "probe", ".tmp");
    Files.delete(probe);
    if (diskSpace.isLow()) {
      throw new IOException("free disk space is below the reserve");
    }
  }

  /**
   * Leaves the index for the next start ({@link IndexSnapshot}), then releases the data directory. A
   * snapshot that cannot be written costs the next start time, not data: it reads every bundle's files.
   */
  @Override
  public void close() throws IOException {
    changing.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      IndexSnapshot.write(root, index.values());
    } catch (IOException e) {
      log.warn("No index left for the next start, which will read every bundle's metadata: {}", e.toString());
    } finally {
      changing.writeLock().unlock();
      lockChannel.close();
    }
  }
}
