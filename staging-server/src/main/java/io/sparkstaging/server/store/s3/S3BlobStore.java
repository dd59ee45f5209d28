package io.sparkstaging.server.store.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.TarLayout;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.AssembledTar;
import io.sparkstaging.server.store.BlobStore;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.ContentMeter;
import io.sparkstaging.server.store.MetadataCodec;
import io.sparkstaging.server.store.NamespaceKey;
import io.sparkstaging.server.store.SecretDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in the bucket ({@link S3Keys}), shared by every replica. An upload is spooled and sent as
 * a bundle's content would be, under a key no listing shows, checked against its digest, and only
 * then copied (by the store) to the blob's key.
 *
 * <p>The sweep, which one replica runs at a time, never removes a blob a commit relies on, however
 * the replicas' requests interleave. It first condemns each candidate (a marker key), then lists
 * the manifests and the recent queries' pins, and removes only what neither lists. A query writes
 * its pin before it reads the condemnations, and a commit writes its manifest before it does:
 * whoever finds a blob uncondemned did so before the condemnation, so the sweep's later listing
 * sees their pin or manifest. A condemned blob counts as missing until the sweep decides; a
 * commit that finds one condemned is undone and refused ({@code blobs_missing}).
 */
final class S3BlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

  /** What the blob store needs of the bundle store it serves. */
  interface Bundles {
    void publish(BundleRecord record);

    boolean delete(BundleId id) throws IOException;

    /** Every manifest bundle, listed now. */
    List<BundleRecord> listManifestBundlesFresh();
  }

  private final S3Bucket bucket;
  private final S3Keys keys;
  private final UploadTarget uploads;
  private final DownloadLinks links;
  private final Bundles bundles;
  private final Clock clock;
  private final Duration grace;
  private final SecureRandom random = new SecureRandom();
  private final MetadataCodec codec = new MetadataCodec();
  /** A manifest never changes once written. */
  private final Cache<BundleId, Manifest> manifests = Caffeine.newBuilder().maximumSize(10_000).build();
  private final Map<String, String> namespaceNames = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private volatile Map<String, Long> stored = Map.of();

  S3BlobStore(S3Bucket bucket, UploadTarget uploads, DownloadLinks links, Bundles bundles, Clock clock, Duration grace) {
    this.bucket = bucket;
    this.keys = bucket.keys();
    this.uploads = uploads;
    this.links = links;
    this.bundles = bundles;
    this.clock = clock;
    this.grace = grace;
  }

  @Override
  public List<String> missing(String namespace, List<String> wanted) {
    String key = NamespaceKey.of(namespace);
    try {
      Map<String, Long> present = blobsOf(key);
      List<String> held = wanted.stream().filter(present::containsKey).distinct().toList();
      if (!held.isEmpty()) {
        // Before the condemnations are read: see the class comment.
        bucket.write(keys.pins(key) + clock.millis() + "-" + HexFormat.of().formatHex(nonce()),
            String.join("\n", held).getBytes(StandardCharsets.UTF_8));
      }
      Set<String> condemned = condemnedOf(key);
      return wanted.stream().filter(digest -> !present.containsKey(digest) || condemned.contains(digest)).toList();
    } catch (SdkException e) {
      throw S3BundleStore.unavailable("look the files up", e);
    }
  }

  @Override
  public boolean write(String namespace, String sha256, InputStream content, long maxSize, long expectedSize) {
    ContentMeter.requireWithin(expectedSize, maxSize);
    uploads.spool().requireRoomFor(Math.min(Math.max(expectedSize, 0), uploads.partSize()));
    String key = NamespaceKey.of(namespace);
    BundleId spooled = BundleId.generate(random);
    try (var pending = new S3PendingBundle(uploads, spooled, maxSize)) {
      pending.write(content);
      if (!pending.sha256Hex().equals(sha256)) {
        throw new StagingException(Problem.DIGEST_MISMATCH, "the file's SHA-256 is " + pending.sha256Hex() + ", not " + sha256);
      }
      boolean fresh = !bucket.exists(keys.blob(key, sha256));
      if (namespaceNames.putIfAbsent(key, namespace) == null) {
        bucket.write(keys.namespaceName(key), namespace.getBytes(StandardCharsets.UTF_8));
      }
      bucket.copy(keys.content(spooled), keys.blob(key, sha256));
      if (fresh) {
        // Seen at once by this server's quotas and metrics; other servers see it at their next listing.
        counted(namespace, pending.size());
      }
      return fresh;
    } catch (SdkException e) {
      throw S3BundleStore.unavailable("store the file", e);
    }
  }

  @Override
  public BundleRecord commit(BundleOwner owner, SecretDigest secretDigest, Manifest manifest, long maxSize) {
    Instant now = TarLayout.commitTime(clock.instant());
    long size = AssembledTar.sizeOf(manifest, now);
    ContentMeter.requireWithin(size, maxSize);
    var record = new BundleRecord(BundleId.generate(random), owner, secretDigest, size, manifest.sha256(), now, Optional.empty(),
        Optional.empty(), BundleRecord.Layout.MANIFEST);
    String key = NamespaceKey.of(owner.ownerNamespace());
    try {
      bucket.write(keys.manifest(record.id()), codec.encodeManifest(manifest));
      bundles.publish(record);
      // After the manifest is where the sweep looks: see the class comment.
      Map<String, Long> present = blobsOf(key);
      Set<String> condemned = condemnedOf(key);
      Optional<StagingException> refusal = refusal(manifest, owner.ownerNamespace(), present, condemned);
      if (refusal.isPresent()) {
        bundles.delete(record.id());
        throw refusal.get();
      }
      manifests.put(record.id(), manifest);
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SdkException e) {
      throw S3BundleStore.unavailable("store the manifest", e);
    }
  }

  private static Optional<StagingException> refusal(Manifest manifest, String namespace, Map<String, Long> present,
      Set<String> condemned) {
    List<String> missing = new ArrayList<>();
    for (ManifestFile file : manifest.files()) {
      Long held = present.get(file.sha256());
      if (held == null || condemned.contains(file.sha256())) {
        missing.add(file.sha256());
      } else if (held != file.size()) {
        return Optional.of(new StagingException(Problem.BAD_REQUEST,
            "file '" + file.name() + "' is " + file.size() + " bytes in the manifest, but its blob holds " + held));
      }
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StagingException(Problem.BLOBS_MISSING, missing.size() + " file(s) of the manifest are not stored in namespace "
        + namespace + " (first: " + missing.get(0) + "); ask which are missing, upload them, and commit again"));
  }

  @Override
  public Manifest manifest(BundleId id) throws IOException {
    Manifest cached = manifests.getIfPresent(id);
    if (cached != null) {
      return cached;
    }
    byte[] json;
    try {
      json = bucket.read(keys.manifest(id)).orElseThrow(() -> new NoSuchFileException("manifest of bundle " + id));
    } catch (SdkException e) {
      throw new IOException("the object store did not serve the manifest: " + e.getMessage(), e);
    }
    Manifest manifest = codec.decodeManifest(json);
    manifests.put(id, manifest);
    return manifest;
  }

  @Override
  public OptionalLong size(String namespace, String sha256) {
    Long size = blobsOf(NamespaceKey.of(namespace)).get(sha256);
    return size == null ? OptionalLong.empty() : OptionalLong.of(size);
  }

  @Override
  public SeekableByteChannel open(String namespace, String sha256) throws IOException {
    return S3ObjectChannel.open(bucket.client(), bucket.name(), keys.blob(NamespaceKey.of(namespace), sha256));
  }

  @Override
  public Optional<URI> directDownload(String namespace, String sha256) {
    return links.linkTo(keys.blob(NamespaceKey.of(namespace), sha256));
  }

  @Override
  public boolean offersDirectDownloads() {
    return links.enabled();
  }

  @Override
  public Map<String, Long> storedBytes() {
    return stored;
  }

  @Override
  public long changeCount() {
    return changes.get();
  }

  private synchronized void counted(String namespace, long bytes) {
    Map<String, Long> updated = new HashMap<>(stored);
    updated.merge(namespace, bytes, Long::sum);
    stored = Map.copyOf(updated);
    changes.incrementAndGet();
  }

  /** Lists every blob again, for {@link #storedBytes()}; run with the bundles' listing. */
  synchronized void refresh() {
    Map<String, Long> byNamespace = new HashMap<>();
    allBlobs().forEach((key, blobs) -> {
      String namespace = namespaceOf(key);
      if (namespace != null) {
        byNamespace.put(namespace, blobs.values().stream().mapToLong(S3Object::size).sum());
      }
    });
    stored = Map.copyOf(byNamespace);
  }

  /**
   * Condemns every blob past its grace period (and takes up those a sweep that died condemned),
   * then removes those no manifest and no recent query lists, and lifts the others' condemnation.
   */
  void sweep(Instant now) {
    Map<String, Map<String, S3Object>> blobs = allBlobs();
    Set<String> condemned = new HashSet<>();
    bucket.list(keys.allCondemned()).forEach(marker -> condemned.add(marker.key()));
    List<String[]> candidates = new ArrayList<>();
    blobs.forEach((key, held) -> held.forEach((sha256, object) -> {
      String marker = keys.condemned(key) + sha256;
      if (condemned.contains(marker)) {
        candidates.add(new String[] {key, sha256});
      } else if (object.lastModified().plus(grace).isBefore(now)) {
        bucket.write(marker, new byte[0]);
        candidates.add(new String[] {key, sha256});
      }
    }));
    if (candidates.isEmpty()) {
      return;
    }
    Set<String> kept = listedOrPinned(now);
    for (String[] candidate : candidates) {
      String key = candidate[0];
      String sha256 = candidate[1];
      if (!kept.contains(key + "/" + sha256)) {
        bucket.deleteKeys(List.of(keys.blob(key, sha256)));
        changes.incrementAndGet();
        log.info("Removed blob {} of namespace {}: no bundle lists it", sha256, namespaceOf(key));
      }
      bucket.deleteKeys(List.of(keys.condemned(key) + sha256));
    }
    refresh();
  }

  /** {@code NS_KEY/SHA256} of every blob a manifest lists or a query within the grace period found; old pins are removed. */
  private Set<String> listedOrPinned(Instant now) {
    Set<String> kept = new HashSet<>();
    for (BundleRecord record : bundles.listManifestBundlesFresh()) {
      String key = NamespaceKey.of(record.owner().ownerNamespace());
      try {
        manifest(record.id()).files().forEach(file -> kept.add(key + "/" + file.sha256()));
      } catch (NoSuchFileException deletedMeanwhile) {
        // Its blobs are free now.
      } catch (IOException e) {
        // A sweep must not guess: this one removes nothing.
        throw new UncheckedIOException("cannot read the manifest of bundle " + record.id(), e);
      }
    }
    for (S3Object pin : bucket.list(keys.allPins())) {
      String key = pin.key().substring(keys.allPins().length()).split("/", 2)[0];
      if (pin.lastModified().plus(grace).isBefore(now)) {
        bucket.deleteKeys(List.of(pin.key()));
        continue;
      }
      bucket.read(pin.key()).ifPresent(digests -> new String(digests, StandardCharsets.UTF_8).lines()
          .forEach(sha256 -> kept.add(key + "/" + sha256)));
    }
    return kept;
  }

  /** Blob sizes of one namespace, by digest. */
  private Map<String, Long> blobsOf(String namespaceKey) {
    Map<String, Long> sizes = new HashMap<>();
    String prefix = keys.blobs(namespaceKey);
    for (S3Object object : bucket.list(prefix)) {
      String name = object.key().substring(prefix.length());
      if (Manifest.isSha256(name)) {
        sizes.put(name, object.size());
      }
    }
    return sizes;
  }

  private Set<String> condemnedOf(String namespaceKey) {
    Set<String> condemned = new HashSet<>();
    String prefix = keys.condemned(namespaceKey);
    bucket.list(prefix).forEach(marker -> condemned.add(marker.key().substring(prefix.length())));
    return condemned;
  }

  /** Every blob, by namespace key and digest. */
  private Map<String, Map<String, S3Object>> allBlobs() {
    Map<String, Map<String, S3Object>> all = new HashMap<>();
    String prefix = keys.allBlobs();
    for (S3Object object : bucket.list(prefix)) {
      String[] parts = object.key().substring(prefix.length()).split("/", 2);
      if (parts.length == 2 && Manifest.isSha256(parts[1])) {
        all.computeIfAbsent(parts[0], key -> new HashMap<>()).put(parts[1], object);
      }
    }
    return all;
  }

  private String namespaceOf(String namespaceKey) {
    return namespaceNames.computeIfAbsent(namespaceKey, key -> bucket.read(keys.namespaceName(key))
        .map(name -> new String(name, StandardCharsets.UTF_8)).orElse(null));
  }

  private byte[] nonce() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return bytes;
  }
}
