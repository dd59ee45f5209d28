package io.sparkstaging.server.store;

import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.TarLayout;
import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs on the local file system, beside the bundles:
 *
 * <pre>
 * DATA_DIR/blobs/NS_KEY/namespace   the namespace's name
 * DATA_DIR/blobs/NS_KEY/SHA256      a file's bytes, named by the digest the server computed
 * DATA_DIR/incoming/blob-RANDOM     an upload in progress
 * </pre>
 *
 * {@code NS_KEY} is made from the namespace's SHA-256, so no path holds a client's string. A blob
 * is written and synced under {@code incoming/}, checked against its digest, and renamed into
 * place. Its modification time is when it was last uploaded or reported present: the grace period
 * runs from there. Commits hold a shared lock while they check their blobs and publish; a sweep
 * holds it exclusively while it reads what bundles list and removes the rest, so that no commit
 * can list a blob the sweep is removing, whatever the timing, and {@code kill -9} at any moment
 * leaves every committed bundle's blobs in place.
 */
final class LocalBlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(LocalBlobStore.class);
  static final String NAMESPACE_FILE = "namespace";

  /** What the blob store needs of the bundle store it serves. */
  interface Bundles {
    /** @param size the size of the tar the manifest makes at {@code committed}, which the caller has checked already */
    BundleRecord publishManifest(BundleOwner owner, SecretDigest secretDigest, Manifest manifest, Instant committed, long size)
        throws IOException;

    Manifest readManifest(BundleId id) throws IOException;

    StagingException storageFailure(IOException cause);
  }

  private final Path root;
  private final Path incoming;
  private final DiskSpace diskSpace;
  private final Clock clock;
  private final Duration grace;
  private final Bundles bundles;
  private final SecureRandom random = new SecureRandom();
  private final ReadWriteLock sweepLock = new ReentrantReadWriteLock();
  /** Size of each blob, by namespace and digest. */
  private final Map<String, Map<String, Long>> index = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();

  LocalBlobStore(Path root, Path incoming, DiskSpace diskSpace, Clock clock, Duration grace, Bundles bundles) {
    this.root = root;
    this.incoming = incoming;
    this.diskSpace = diskSpace;
    this.clock = clock;
    this.grace = grace;
    this.bundles = bundles;
  }

  /** Lists what an earlier run stored; a namespace directory without its name is unusable and removed. */
  void recover() throws IOException {
    OwnerOnly.ensureDirectory(root);
    long blobs = 0;
    try (DirectoryStream<Path> namespaces = Files.newDirectoryStream(root)) {
      for (Path dir : namespaces) {
        String namespace;
        try {
          namespace = Files.readString(dir.resolve(NAMESPACE_FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
          log.warn("Removing {}: it does not say which namespace it holds", dir);
          FileTrees.deleteRecursively(dir);
          continue;
        }
        Map<String, Long> sizes = index.computeIfAbsent(namespace, key -> new ConcurrentHashMap<>());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path file : files) {
            String name = file.getFileName().toString();
            if (Manifest.isSha256(name)) {
              sizes.put(name, Files.size(file));
              blobs++;
            }
          }
        }
      }
    }
    log.info("Loaded {} blob(s) of {} namespace(s)", blobs, index.size());
  }

  @Override
  public List<String> missing(String namespace, List<String> wanted) {
    List<String> missing = new ArrayList<>();
    sweepLock.readLock().lock();
    try {
      for (String digest : wanted) {
        if (!contains(namespace, digest) || !touch(namespace, digest)) {
          missing.add(digest);
        }
      }
    } finally {
      sweepLock.readLock().unlock();
    }
    return missing;
  }

  /** Restarts the blob's grace period; false if it is gone. */
  private boolean touch(String namespace, String digest) {
    try {
      Files.setLastModifiedTime(blobPath(namespace, digest), FileTime.from(clock.instant()));
      return true;
    } catch (NoSuchFileException gone) {
      return false;
    } catch (IOException e) {
      throw bundles.storageFailure(e);
    }
  }

  @Override
  public boolean write(String namespace, String sha256, InputStream content, long maxSize, long expectedSize) {
    ContentMeter.requireWithin(expectedSize, maxSize);
    diskSpace.requireRoomFor(expectedSize);
    var meter = new ContentMeter(maxSize);
    Path temp = incoming.resolve("blob-" + HexFormat.of().formatHex(nextBytes()));
    try {
      try (FileChannel file = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.file())) {
        FileSink.copy(content, meter, file, diskSpace, bundles::storageFailure);
        file.force(true);
      }
      if (!meter.sha256Hex().equals(sha256)) {
        throw new StagingException(Problem.DIGEST_MISMATCH, "the file's SHA-256 is " + meter.sha256Hex() + ", not " + sha256);
      }
      return place(namespace, sha256, temp, meter.size());
    } catch (IOException e) {
      throw bundles.storageFailure(e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        log.warn("Could not remove {}; the next start does: {}", temp, e.toString());
      }
    }
  }

  private byte[] nextBytes() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return bytes;
  }

  private boolean place(String namespace, String sha256, Path complete, long size) throws IOException {
    sweepLock.readLock().lock();
    try {
      if (contains(namespace, sha256) && touch(namespace, sha256)) {
        return false;
      }
      Path dir = namespaceDir(namespace);
      Files.setLastModifiedTime(complete, FileTime.from(clock.instant()));
      DurableFiles.moveSynced(complete, dir.resolve(sha256));
      index.computeIfAbsent(namespace, key -> new ConcurrentHashMap<>()).put(sha256, size);
      changes.incrementAndGet();
      return true;
    } finally {
      sweepLock.readLock().unlock();
    }
  }

  /** The namespace's directory, made whole (its name file synced) under incoming/ and renamed into place the first time. */
  private synchronized Path namespaceDir(String namespace) throws IOException {
    Path dir = root.resolve(NamespaceKey.of(namespace));
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path fresh = OwnerOnly.createDirectory(incoming.resolve("namespace-" + NamespaceKey.of(namespace)));
    DurableFiles.writeSynced(fresh.resolve(NAMESPACE_FILE), namespace.getBytes(StandardCharsets.UTF_8));
    DurableFiles.syncDirectory(fresh);
    DurableFiles.moveSynced(fresh, dir);
    return dir;
  }

  @Override
  public BundleRecord commit(BundleOwner owner, SecretDigest secretDigest, Manifest manifest, long maxSize) {
    Instant committed = TarLayout.commitTime(clock.instant());
    long size = AssembledTar.sizeOf(manifest, committed);
    ContentMeter.requireWithin(size, maxSize);
    String namespace = owner.ownerNamespace();
    sweepLock.readLock().lock();
    try {
      List<String> missing = new ArrayList<>();
      for (ManifestFile file : manifest.files()) {
        Long stored = index.getOrDefault(namespace, Map.of()).get(file.sha256());
        if (stored == null) {
          missing.add(file.sha256());
        } else if (stored != file.size()) {
          throw new StagingException(Problem.BAD_REQUEST,
              "file '" + file.name() + "' is " + file.size() + " bytes in the manifest, but its blob holds " + stored);
        }
      }
      if (!missing.isEmpty()) {
        throw new StagingException(Problem.BLOBS_MISSING, missing.size() + " file(s) of the manifest are not stored in namespace "
            + namespace + " (first: " + missing.get(0) + "); ask which are missing, upload them, and commit again");
      }
      return bundles.publishManifest(owner, secretDigest, manifest, committed, size);
    } catch (IOException e) {
      throw bundles.storageFailure(e);
    } finally {
      sweepLock.readLock().unlock();
    }
  }

  @Override
  public Manifest manifest(BundleId id) throws IOException {
    return bundles.readManifest(id);
  }

  @Override
  public OptionalLong size(String namespace, String sha256) {
    Long size = index.getOrDefault(namespace, Map.of()).get(sha256);
    return size == null ? OptionalLong.empty() : OptionalLong.of(size);
  }

  @Override
  public SeekableByteChannel open(String namespace, String sha256) throws IOException {
    if (!contains(namespace, sha256)) {
      throw new NoSuchFileException("blob " + sha256);
    }
    return FileChannel.open(blobPath(namespace, sha256), StandardOpenOption.READ);
  }

  /**
   * Removes every blob that {@code referenced} does not list and that was neither uploaded nor
   * reported present within the grace period.
   *
   * @param referenced every namespace's listed digests, asked while no commit can run
   * @return how many blobs were removed
   */
  int sweep(Instant now, Supplier<Map<String, Set<String>>> referenced) {
    sweepLock.writeLock().lock();
    try {
      Map<String, Set<String>> listed = referenced.get();
      int removed = 0;
      for (var namespace : index.entrySet()) {
        Set<String> keep = listed.getOrDefault(namespace.getKey(), Set.of());
        for (String digest : List.copyOf(namespace.getValue().keySet())) {
          if (!keep.contains(digest) && removeIfStale(namespace.getKey(), digest, now)) {
            removed++;
          }
        }
      }
      return removed;
    } finally {
      sweepLock.writeLock().unlock();
    }
  }

  private boolean removeIfStale(String namespace, String digest, Instant now) {
    Path blob = blobPath(namespace, digest);
    try {
      if (Files.getLastModifiedTime(blob).toInstant().plus(grace).isAfter(now)) {
        return false;
      }
      Files.deleteIfExists(blob);
    } catch (NoSuchFileException gone) {
      // Removed by hand: forget it all the same.
    } catch (IOException e) {
      log.warn("Could not remove blob {} of namespace {}: {}", digest, namespace, e.toString());
      return false;
    }
    index.get(namespace).remove(digest);
    changes.incrementAndGet();
    log.info("Removed blob {} of namespace {}: no bundle lists it", digest, namespace);
    return true;
  }

  @Override
  public Map<String, Long> storedBytes() {
    Map<String, Long> bytes = new ConcurrentHashMap<>();
    index.forEach((namespace, sizes) -> bytes.put(namespace, sizes.values().stream().mapToLong(Long::longValue).sum()));
    return bytes;
  }

  @Override
  public long changeCount() {
    return changes.get();
  }

  private boolean contains(String namespace, String digest) {
    return index.getOrDefault(namespace, Map.of()).containsKey(digest);
  }

  private Path blobPath(String namespace, String digest) {
    return root.resolve(NamespaceKey.of(namespace)).resolve(digest);
  }
}
