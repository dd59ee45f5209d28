package io.sparkstaging.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs on disk: what a sweep removes and keeps, and what a restart finds. */
class LocalBlobStoreTest {
  private static final Duration GRACE = Duration.ofHours(1);
  private static final BundleOwner OWNER = new BundleOwner("ns", Map.of("spark-app-selector", "a"), BundleOwner.OwnerType.Pod);
  private static final byte[] APP = Bundles.random(5000, 1);
  private static final byte[] LIB = Bundles.random(700, 2);
  private static final String APP_SHA = Bundles.sha256Hex(APP);
  private static final String LIB_SHA = Bundles.sha256Hex(LIB);

  @TempDir
  Path root;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
  private LocalBundleStore store;

  private BlobStore open() throws IOException {
    if (store != null) {
      store.close();
    }
    store = LocalBundleStore.open(root, new DiskSpace(() -> Long.MAX_VALUE, 0), clock, GRACE);
    return store.blobs().orElseThrow();
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private static boolean write(BlobStore blobs, String namespace, byte[] content) {
    return blobs.write(namespace, Bundles.sha256Hex(content), new ByteArrayInputStream(content), 1 << 20, content.length);
  }

  private static Manifest manifest(ManifestFile... files) {
    return new Manifest(List.of(files));
  }

  private static ManifestFile file(String name, byte[] content) {
    return new ManifestFile(name, Bundles.sha256Hex(content), content.length, 0644);
  }

  private void sweepAfter(Duration elapsed) {
    clock.advance(elapsed);
    store.removeLeftovers(clock.instant());
  }

  @Test
  void aBlobNoBundleListsIsRemovedOnceItsGracePeriodIsOver() throws IOException {
    BlobStore blobs = open();
    write(blobs, "ns", APP);

    sweepAfter(GRACE.minusMinutes(1));
    assertThat(blobs.missing("ns", List.of(APP_SHA))).isEmpty();

    // Reported present a minute before the end: kept a whole grace period more.
    sweepAfter(GRACE.minusMinutes(1));
    assertThat(blobs.size("ns", APP_SHA)).hasValue(APP.length);

    sweepAfter(GRACE.plusMinutes(1));
    assertThat(blobs.missing("ns", List.of(APP_SHA))).containsExactly(APP_SHA);
    assertThat(Files.list(root.resolve("blobs")).flatMap(LocalBlobStoreTest::children).map(path -> path.getFileName().toString()))
        .containsExactly(LocalBlobStore.NAMESPACE_FILE);
  }

  @Test
  void aBlobABundleListsIsKeptUntilTheBundleIsDeletedAndItsGracePeriodOver() throws IOException {
    BlobStore blobs = open();
    write(blobs, "ns", APP);
    write(blobs, "ns", LIB);
    BundleRecord bundle = blobs.commit(OWNER, SecretDigest.of("s"), manifest(file("app.jar", APP)), Long.MAX_VALUE);

    sweepAfter(GRACE.multipliedBy(10));
    assertThat(blobs.size("ns", APP_SHA)).hasValue(APP.length);
    assertThat(blobs.size("ns", LIB_SHA)).isEmpty();

    store.delete(bundle.id());
    sweepAfter(Duration.ofMinutes(1));
    assertThat(blobs.size("ns", APP_SHA)).isEmpty();
  }

  @Test
  void blobsBelongToTheirNamespace() throws IOException {
    BlobStore blobs = open();
    assertThat(write(blobs, "ns", APP)).isTrue();
    assertThat(write(blobs, "ns", APP)).isFalse();

    assertThat(blobs.missing("other", List.of(APP_SHA))).containsExactly(APP_SHA);
    assertThatThrownBy(() -> blobs.commit(new BundleOwner("other", Map.of("a", "b"), BundleOwner.OwnerType.Pod), SecretDigest.of("s"),
        manifest(file("app.jar", APP)), Long.MAX_VALUE)).isInstanceOfSatisfying(StagingException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.BLOBS_MISSING));
    assertThat(write(blobs, "other", APP)).isTrue();
    assertThat(blobs.storedBytes()).containsOnly(Map.entry("ns", (long) APP.length), Map.entry("other", (long) APP.length));
  }

  @Test
  void aRestartFindsTheBlobsAndTheBundlesMadeOfThemAndDiscardsUnfinishedUploads() throws IOException {
    BlobStore blobs = open();
    write(blobs, "ns", APP);
    write(blobs, "ns", LIB);
    BundleRecord bundle = blobs.commit(OWNER, SecretDigest.of("s"), manifest(file("app.jar", APP), file("lib.jar", LIB)), Long.MAX_VALUE);
    byte[] tar = readAll(store.open(bundle.id()));
    Files.write(root.resolve("incoming").resolve("blob-0123"), LIB);

    BlobStore restarted = open();

    assertThat(store.find(bundle.id())).contains(bundle);
    assertThat(restarted.manifest(bundle.id()).files()).extracting(ManifestFile::name).containsExactly("app.jar", "lib.jar");
    assertThat(readAll(store.open(bundle.id()))).isEqualTo(tar);
    assertThat(tar).hasSize((int) bundle.size());
    assertThat(Files.list(root.resolve("incoming"))).isEmpty();
  }

  @Test
  void aTarTooLargeForTheServerIsRefusedBeforeItIsCommitted() throws IOException {
    BlobStore blobs = open();
    write(blobs, "ns", APP);

    assertThatThrownBy(() -> blobs.commit(OWNER, SecretDigest.of("s"), manifest(file("app.jar", APP)), APP.length))
        .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.PAYLOAD_TOO_LARGE));
    assertThat(store.list()).isEmpty();
  }

  private static java.util.stream.Stream<Path> children(Path dir) {
    try {
      return Files.list(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] readAll(SeekableByteChannel channel) throws IOException {
    try (channel) {
      ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // Reads until full.
      }
      return buffer.array();
    }
  }
}
