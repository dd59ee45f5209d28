package io.sparkstaging.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.files.FileTrees;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.TarLayout;
import io.sparkstaging.server.support.Bundles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index a clean stop leaves, through the store that writes and reads it. */
class IndexSnapshotTest {
  private static final BundleOwner OWNER =
      new BundleOwner("ns", Map.of("spark-app-selector", "a", "spark-role", "driver"), BundleOwner.OwnerType.Pod);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00.123456789Z"), ZoneOffset.UTC);

  @TempDir
  Path root;
  @TempDir
  Path crashImage;

  private LocalBundleStore open(Path dir) throws IOException {
    return LocalBundleStore.open(dir, new DiskSpace(() -> Long.MAX_VALUE, 0), CLOCK, Duration.ofHours(1));
  }

  private static BundleRecord put(LocalBundleStore store, String content) {
    try (PendingBundle pending = store.create(1 << 20, content.length())) {
      pending.write(new ByteArrayInputStream(content.getBytes()));
      return pending.commit(OWNER, SecretDigest.of("secret-" + content));
    }
  }

  /** Three bundles of every kind a snapshot must carry: a plain one, one downloaded and seen, one staged by digest. */
  private static List<BundleRecord> fill(LocalBundleStore store) throws IOException {
    BundleRecord plain = put(store, "plain");
    BundleRecord seen = put(store, "seen");
    store.recordFirstDownload(seen.id());
    store.recordOwnerSeen(seen.id());
    var files = new Manifest(List.of(new ManifestFile("app.jar", "a".repeat(64), 10, 0644)));
    Instant committed = TarLayout.commitTime(Instant.now());
    BundleRecord manifest = store.publishManifest(OWNER, SecretDigest.of("m"), files, committed, AssembledTar.sizeOf(files, committed));
    return List.of(plain, store.find(seen.id()).orElseThrow(), manifest);
  }

  private static void damageEveryMetadataFile(Path dataDir) throws IOException {
    try (Stream<Path> dirs = Files.list(dataDir.resolve("bundles"))) {
      for (Path dir : dirs.toList()) {
        Files.writeString(dir.resolve(LocalBundleStore.METADATA), "{not json");
      }
    }
  }

  @Test
  void aStartAfterACleanStopTakesEveryRecordFromTheSnapshotAndDeletesIt() throws IOException {
    List<BundleRecord> records;
    try (var store = open(root)) {
      records = fill(store);
    }
    assertThat(root.resolve(IndexSnapshot.FILE)).isRegularFile();
    // Were the metadata files read, these bundles would now be deleted as unreadable.
    damageEveryMetadataFile(root);

    try (var store = open(root)) {
      assertThat(root.resolve(IndexSnapshot.FILE)).doesNotExist();
      assertThat(store.list()).containsExactlyInAnyOrderElementsOf(records);
      assertThat(Bundles.filesUnder(root.resolve("bundles"))).isEqualTo(6);
    }
  }

  @Test
  void aStartAfterKillMinusNineFindsNoSnapshotAndReadsEveryBundlesFiles() throws IOException {
    List<BundleRecord> records;
    try (var store = open(root)) {
      fill(store);
    }
    try (var store = open(root)) {
      BundleRecord later = put(store, "after the snapshot was taken");
      records = List.copyOf(store.list());
      assertThat(records).contains(later);
      // What a crash now leaves on disk: the store is still open, and no snapshot is written.
      copy(root, crashImage);
    }
    assertThat(crashImage.resolve(IndexSnapshot.FILE)).doesNotExist();

    try (var store = open(crashImage)) {
      assertThat(store.list()).containsExactlyInAnyOrderElementsOf(records);
    }
  }

  @Test
  void theListingOfBundlesStaysTheTruthAboutWhichBundlesExist() throws IOException {
    BundleRecord removedBehindItsBack;
    BundleRecord addedBehindItsBack;
    List<BundleRecord> records;
    try (var store = open(root)) {
      records = fill(store);
      removedBehindItsBack = put(store, "removed");
    }
    try (var other = open(crashImage)) {
      addedBehindItsBack = put(other, "added");
    }
    Files.move(crashImage.resolve("bundles").resolve(addedBehindItsBack.id().value()),
        root.resolve("bundles").resolve(addedBehindItsBack.id().value()));
    FileTrees.deleteRecursively(root.resolve("bundles").resolve(removedBehindItsBack.id().value()));

    try (var store = open(root)) {
      assertThat(store.list()).containsExactlyInAnyOrderElementsOf(
          Stream.concat(records.stream(), Stream.of(addedBehindItsBack)).toList());
      assertThat(store.find(removedBehindItsBack.id())).isEmpty();
    }
  }

  @Test
  void aDamagedOrTruncatedSnapshotIsIgnoredAndRemovedAndEveryBundleIsReadFromItsFiles() throws IOException {
    List<BundleRecord> records;
    try (var store = open(root)) {
      records = fill(store);
    }
    Path snapshot = root.resolve(IndexSnapshot.FILE);
    byte[] whole = Files.readAllBytes(snapshot);
    List<byte[]> damaged = List.of(flipped(whole, whole.length / 2), Arrays.copyOf(whole, whole.length - 9), new byte[0],
        "garbage, not a snapshot at all".getBytes());
    for (byte[] bytes : damaged) {
      Files.write(snapshot, bytes);
      try (var store = open(root)) {
        assertThat(snapshot).doesNotExist();
        assertThat(store.list()).containsExactlyInAnyOrderElementsOf(records);
      }
    }
  }

  @Test
  void aSnapshotHalfWrittenByAnInterruptedStopIsDiscarded() throws IOException {
    try (var store = open(root)) {
      put(store, "one");
    }
    Files.move(root.resolve(IndexSnapshot.FILE), root.resolve(IndexSnapshot.FILE + ".partial"));

    try (var store = open(root)) {
      assertThat(store.list()).hasSize(1);
      assertThat(root.resolve(IndexSnapshot.FILE + ".partial")).doesNotExist();
    }
  }

  @Test
  void aClosedStoreRefusesChangesThatItsSnapshotWouldMiss() throws IOException {
    var store = open(root);
    BundleRecord kept = put(store, "kept");
    PendingBundle late = store.create(1 << 20, 4);
    late.write(new ByteArrayInputStream("late".getBytes()));
    store.close();

    assertThatThrownBy(() -> late.commit(OWNER, SecretDigest.of("s"))).hasRootCauseMessage("the store is closed: the server is stopping");
    assertThatThrownBy(() -> store.delete(kept.id())).hasMessage("the store is closed: the server is stopping");
    assertThatThrownBy(() -> store.recordFirstDownload(kept.id())).hasMessage("the store is closed: the server is stopping");
    late.close();

    try (var reopened = open(root)) {
      assertThat(reopened.list()).containsExactly(kept);
      assertThat(Bundles.filesUnder(root.resolve("incoming"))).isZero();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static byte[] flipped(byte[] bytes, int at) {
    byte[] copy = bytes.clone();
    copy[at] ^= 0x5a;
    return copy;
  }
}
