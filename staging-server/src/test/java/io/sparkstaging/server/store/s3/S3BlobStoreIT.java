package io.sparkstaging.server.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BlobStore;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.NamespaceKey;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestStorage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Blobs on one bucket, committed through one replica and swept by another: what is kept, what goes, and when. */
class S3BlobStoreIT {
  private static final String NAMESPACE = "team";
  private static final BundleOwner OWNER = new BundleOwner(NAMESPACE, Map.of("spark-app-selector", "app"), BundleOwner.OwnerType.Pod);
  private static final byte[] LISTED = Bundles.random(3000, 1);
  private static final byte[] UNLISTED = Bundles.random(2000, 2);
  private final String bucket = TestStorage.proxy().newBucket();
  @TempDir
  Path first;
  @TempDir
  Path second;

  private S3BundleStore open(Path dir, Duration grace) throws Exception {
    return S3BundleStore.open(TestStorage.s3(bucket, Files.createDirectories(dir), Optional.empty()), 0, Duration.ofHours(1),
        Clock.systemUTC(), grace);
  }

  private static void write(BlobStore blobs, byte[] content) {
    blobs.write(NAMESPACE, Bundles.sha256Hex(content), new ByteArrayInputStream(content), 1 << 20, content.length);
  }

  private static BundleRecord commit(BlobStore blobs, byte[] content) {
    return blobs.commit(OWNER, SecretDigest.of("s"),
        new Manifest(List.of(new ManifestFile("app.jar", Bundles.sha256Hex(content), content.length, 0644))), 1 << 20);
  }

  @Test
  void anotherReplicasSweepRemovesWhatNoManifestListsAndKeepsWhatOneDoes() throws Exception {
    try (var committing = open(first, Duration.ZERO); var sweeping = open(second, Duration.ZERO)) {
      BlobStore blobs = committing.blobs().orElseThrow();
      write(blobs, LISTED);
      write(blobs, UNLISTED);
      BundleRecord bundle = commit(blobs, LISTED);

      sweeping.removeLeftovers(Instant.now().plusSeconds(60));

      assertThat(sweeping.blobs().orElseThrow().missing(NAMESPACE, List.of(Bundles.sha256Hex(LISTED), Bundles.sha256Hex(UNLISTED))))
          .containsExactly(Bundles.sha256Hex(UNLISTED));
      assertThat(Bundles.sha256Hex(readAll(sweeping, bundle))).isEqualTo(Bundles.sha256Hex(readAll(committing, bundle)));
      assertThat(keys("condemned/")).isEmpty();

      committing.delete(bundle.id());
      sweeping.removeLeftovers(Instant.now().plusSeconds(60));
      assertThat(keys("blobs/" + NamespaceKey.of(NAMESPACE) + "/")).containsExactly("namespace");
    }
  }

  @Test
  void aBlobAQueryFoundIsKeptThroughTheGracePeriodForTheCommitThatFollows() throws Exception {
    Duration grace = Duration.ofSeconds(2);
    try (var committing = open(first, grace); var sweeping = open(second, grace)) {
      BlobStore blobs = committing.blobs().orElseThrow();
      write(blobs, LISTED);
      Thread.sleep(grace.toMillis() + 500);
      // Past its grace period as uploaded, but a query has just found it.
      assertThat(blobs.missing(NAMESPACE, List.of(Bundles.sha256Hex(LISTED)))).isEmpty();

      sweeping.removeLeftovers(Instant.now());

      assertThat(commit(blobs, LISTED).layout()).isEqualTo(BundleRecord.Layout.MANIFEST);
    }
  }

  @Test
  void aCommitThatFindsABlobCondemnedIsUndoneAndRefused() throws Exception {
    try (var store = open(first, Duration.ofHours(1))) {
      BlobStore blobs = store.blobs().orElseThrow();
      write(blobs, LISTED);
      // A sweep on another replica is deciding about it right now.
      condemn(LISTED);

      assertThat(blobs.missing(NAMESPACE, List.of(Bundles.sha256Hex(LISTED)))).containsExactly(Bundles.sha256Hex(LISTED));
      assertThatThrownBy(() -> commit(blobs, LISTED)).isInstanceOfSatisfying(StagingException.class,
          e -> assertThat(e.problem()).isEqualTo(Problem.BLOBS_MISSING));
      assertThat(store.listFresh()).isEmpty();
      assertThat(keys("bundles/")).isEmpty();
    }
  }

  @Test
  void condemnationsASweepLeftWhenItDiedAreSettledByTheNext() throws Exception {
    try (var store = open(first, Duration.ofHours(1))) {
      BlobStore blobs = store.blobs().orElseThrow();
      write(blobs, LISTED);
      write(blobs, UNLISTED);
      commit(blobs, LISTED);
      condemn(LISTED);
      condemn(UNLISTED);

      store.removeLeftovers(Instant.now());

      assertThat(blobs.missing(NAMESPACE, List.of(Bundles.sha256Hex(LISTED), Bundles.sha256Hex(UNLISTED))))
          .containsExactly(Bundles.sha256Hex(UNLISTED));
      assertThat(keys("condemned/")).isEmpty();
    }
  }

  /** What a sweep on another replica does first, before it decides. */
  private void condemn(byte[] content) {
    TestStorage.client().putObject(put -> put.bucket(bucket).key(TestStorage.PREFIX + "condemned/" + NamespaceKey.of(NAMESPACE) + "/"
        + Bundles.sha256Hex(content)), RequestBody.empty());
  }

  private List<String> keys(String under) {
    String prefix = TestStorage.PREFIX + under;
    return TestStorage.client().listObjectsV2(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
        .map(object -> object.key().substring(prefix.length())).toList();
  }

  private static byte[] readAll(S3BundleStore store, BundleRecord bundle) throws Exception {
    try (var channel = store.open(bundle.id())) {
      var buffer = java.nio.ByteBuffer.allocate((int) channel.size());
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // Reads until full.
      }
      return buffer.array();
    }
  }
}
