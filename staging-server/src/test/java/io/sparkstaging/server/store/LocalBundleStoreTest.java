package io.sparkstaging.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.support.Bundles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class LocalBundleStoreTest {
  private static final BundleOwner OWNER = new BundleOwner("ns", Map.of("spark-app-selector", "a"), BundleOwner.OwnerType.Pod);
  private static final SecretDigest DIGEST = SecretDigest.of("secret");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
  private static final long MAX = 1 << 20;

  @TempDir
  Path root;
  private LocalBundleStore store;

  @AfterEach
  void closeStore() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  private LocalBundleStore open() throws IOException {
    return open(new DiskSpace(() -> Long.MAX_VALUE, 0));
  }

  private LocalBundleStore open(DiskSpace space) throws IOException {
    if (store != null) {
      store.close();
    }
    store = LocalBundleStore.open(root, space, CLOCK, Duration.ofHours(1));
    return store;
  }

  /** What a start after kill -9 sees: no index left by a clean stop, so every bundle's files are read. */
  private void reopenAfterCrash() throws IOException {
    store.close();
    Files.delete(root.resolve(IndexSnapshot.FILE));
    store = null;
    open();
  }

  private BundleRecord put(byte[] content) {
    try (PendingBundle pending = store.create(MAX, content.length)) {
      pending.write(new ByteArrayInputStream(content));
      return pending.commit(OWNER, DIGEST);
    }
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void bundlesAreTheServersUsersOnlyWhateverTheUmask() throws IOException {
    open();
    BundleRecord record = put("private code".getBytes());
    store.recordFirstDownload(record.id());

    try (var paths = Files.walk(root.resolve("bundles"))) {
      assertThat(paths.toList()).allSatisfy(path -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
    }
    for (String dir : List.of("bundles", "incoming", "trash")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(dir)))).isEqualTo("rwx------");
    }
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void aDataDirectoryLeftOpenToOthersIsClosedAtStartWithItsBundlesKept() throws IOException {
    open();
    BundleRecord record = put("older".getBytes());
    store.close();
    store = null;
    Files.setPosixFilePermissions(root.resolve("bundles"), PosixFilePermissions.fromString("rwxr-xr-x"));

    open();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bundles")))).isEqualTo("rwx------");
    assertThat(store.find(record.id())).isPresent();
  }

  @Test
  void aDeleteThatFailsHalfWayLeavesTheBundleListedAsARestartWillFindIt() throws IOException {
    open();
    BundleRecord record = put("kept".getBytes());
    // A file where the bundle's directory would go in trash/: the rename fails, for root too.
    Files.writeString(root.resolve("trash").resolve(record.id().value()), "in the way");

    assertThatThrownBy(() -> store.delete(record.id())).isInstanceOf(IOException.class);

    assertThat(store.find(record.id())).isPresent();
    open();
    assertThat(store.find(record.id())).isPresent();
    assertThat(store.delete(record.id())).isTrue();
    assertThat(store.find(record.id())).isEmpty();
    open();
    assertThat(store.find(record.id())).isEmpty();
  }

  @Test
  void aCommittedBundleIsFoundWithItsFacts() throws IOException {
    open();
    byte[] content = Bundles.random(300_000, 1);

    BundleRecord record = put(content);

    assertThat(store.find(record.id())).contains(record);
    assertThat(record.size()).isEqualTo(content.length);
    assertThat(record.sha256Hex()).isEqualTo(Bundles.sha256Hex(content));
    assertThat(record.createdAt()).isEqualTo(CLOCK.instant());
    assertThat(read(record.id())).isEqualTo(content);
  }

  @Test
  void anUncommittedUploadIsInvisibleAndLeavesNothingWhenClosed() throws IOException {
    open();
    try (PendingBundle pending = store.create(MAX, -1)) {
      pending.write(new ByteArrayInputStream(Bundles.random(1000, 2)));
      assertThat(Bundles.filesUnder(root.resolve("bundles"))).isZero();
    }
    assertThat(Bundles.filesUnder(root.resolve("incoming"))).isZero();
  }

  @Test
  void bundlesSurviveARestartWithTheirMetadata() throws IOException {
    open();
    BundleRecord record = put(Bundles.random(5000, 3));

    open();

    assertThat(store.find(record.id())).contains(record);
    assertThat(store.find(record.id()).orElseThrow().secretDigest().matches("secret")).isTrue();
  }

  @Test
  void startupDiscardsInterruptedUploadsAndDeletions() throws IOException {
    open();
    BundleRecord kept = put(Bundles.random(100, 4));
    Path interrupted = Files.createDirectories(root.resolve("incoming").resolve("0123456789abcdef0123456789abcdef"));
    Files.write(interrupted.resolve("content"), new byte[100]);
    Files.createDirectories(root.resolve("trash").resolve("fedcba9876543210fedcba9876543210"));

    open();

    assertThat(Bundles.filesUnder(root.resolve("incoming"))).isZero();
    assertThat(Files.list(root.resolve("trash")).count()).isZero();
    assertThat(store.find(kept.id())).isPresent();
  }

  @Test
  void startupDropsABundleWhoseContentWasTruncated() throws IOException {
    open();
    BundleRecord record = put(Bundles.random(1000, 5));
    Files.write(root.resolve("bundles").resolve(record.id().value()).resolve("content"), new byte[10]);

    reopenAfterCrash();

    assertThat(store.find(record.id())).isEmpty();
    assertThat(Files.exists(root.resolve("bundles").resolve(record.id().value()))).isFalse();
  }

  @Test
  void startupDropsABundleWithUnreadableMetadata() throws IOException {
    open();
    BundleRecord record = put(Bundles.random(1000, 6));
    Files.writeString(root.resolve("bundles").resolve(record.id().value()).resolve("bundle.json"), "{\"version\":1,");

    reopenAfterCrash();

    assertThat(store.find(record.id())).isEmpty();
  }

  @Test
  void aBundleOverTheLimitIsRefusedWhileStreamingAndRemoved() throws IOException {
    open();
    try (PendingBundle pending = store.create(1000, -1)) {
      assertThatThrownBy(() -> pending.write(new ByteArrayInputStream(new byte[1001])))
          .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.PAYLOAD_TOO_LARGE));
    }
    assertThat(Bundles.filesUnder(root)).isEqualTo(1); // the lock file
  }

  @Test
  void aDeclaredSizeOverTheLimitIsRefusedBeforeAnythingIsWritten() throws IOException {
    open();
    assertThatThrownBy(() -> store.create(1000, 1001))
        .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.PAYLOAD_TOO_LARGE));
    assertThat(Files.list(root.resolve("incoming")).count()).isZero();
  }

  @Test
  void aDiskFillingUpMidUploadGives507AndRemovesThePartialData() throws IOException {
    var free = new AtomicLong(40L << 20);
    open(new DiskSpace(free::get, 10L << 20));
    try (PendingBundle pending = store.create(1L << 30, -1)) {
      InputStream shrinking = new InputStream() {
        @Override
        public int read() {
          throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          free.addAndGet(-len);
          return len;
        }
      };
      assertThatThrownBy(() -> pending.write(shrinking))
          .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INSUFFICIENT_STORAGE));
    }
    assertThat(Files.list(root.resolve("incoming")).count()).isZero();
  }

  @Test
  void aDiskAlreadyShortOfSpaceRefusesNewUploads() throws IOException {
    open(new DiskSpace(() -> 5L << 20, 10L << 20));

    assertThatThrownBy(() -> store.create(MAX, -1))
        .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INSUFFICIENT_STORAGE));
    assertThatThrownBy(store::checkWritable).isInstanceOf(IOException.class);
  }

  @Test
  void aBrokenClientStreamIsAnInterruptedUpload() throws IOException {
    open();
    InputStream broken = new SequenceInputStream(new ByteArrayInputStream(new byte[5000]), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset");
      }
    });
    try (PendingBundle pending = store.create(MAX, -1)) {
      assertThatThrownBy(() -> pending.write(broken))
          .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UPLOAD_INTERRUPTED));
    }
    assertThat(Files.list(root.resolve("incoming")).count()).isZero();
  }

  @Test
  void deleteRemovesTheBundleAndItsFiles() throws IOException {
    open();
    BundleRecord record = put(Bundles.random(1000, 7));

    assertThat(store.delete(record.id())).isTrue();

    assertThat(store.find(record.id())).isEmpty();
    assertThat(store.delete(record.id())).isFalse();
    assertThat(Bundles.filesUnder(root.resolve("bundles"))).isZero();
    assertThat(Bundles.filesUnder(root.resolve("trash"))).isZero();
  }

  @Test
  void aReaderThatOpenedTheBundleFinishesEvenIfItIsDeleted() throws IOException {
    open();
    byte[] content = Bundles.random(10_000, 8);
    BundleRecord record = put(content);

    try (SeekableByteChannel channel = store.open(record.id())) {
      store.delete(record.id());
      ByteBuffer buffer = ByteBuffer.allocate(content.length);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading
      }
      assertThat(buffer.array()).isEqualTo(content);
    }
  }

  @Test
  void theFirstDownloadIsRecordedOnceAndDurably() throws IOException {
    open();
    BundleRecord record = put(Bundles.random(100, 9));

    store.recordFirstDownload(record.id());
    store.recordFirstDownload(record.id());
    open();

    assertThat(store.find(record.id()).orElseThrow().firstDownloadedAt()).contains(CLOCK.instant());
    assertThat(Files.list(root.resolve("bundles").resolve(record.id().value())).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("content", "bundle.json");
  }

  @Test
  void recordingADownloadOfADeletedBundleIsHarmless() throws IOException {
    open();
    BundleRecord record = put(Bundles.random(100, 10));
    store.delete(record.id());

    store.recordFirstDownload(record.id());

    assertThat(store.find(record.id())).isEmpty();
  }

  @Test
  void twoServersCannotShareADataDirectory() throws IOException {
    open();
    assertThatThrownBy(() -> LocalBundleStore.open(root, new DiskSpace(() -> Long.MAX_VALUE, 0), CLOCK, Duration.ofHours(1)))
        .isInstanceOf(IOException.class).hasMessageContaining("another staging server");
  }

  @Test
  void foreignEntriesInTheBundleDirectoryAreLeftAlone() throws IOException {
    open();
    Path foreign = Files.createDirectories(root.resolve("bundles").resolve("lost+found"));

    open();

    assertThat(foreign).exists();
  }

  private byte[] read(BundleId id) throws IOException {
    try (SeekableByteChannel channel = store.open(id)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading
      }
      return buffer.array();
    }
  }
}
