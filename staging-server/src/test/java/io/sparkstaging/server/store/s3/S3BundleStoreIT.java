package io.sparkstaging.server.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.support.MutableClock;
import io.sparkstaging.server.support.TestStorage;
import io.sparkstaging.server.store.SecretDigest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two stores on one bucket, listing it rarely: what each sees of the other's changes, and when. */
class S3BundleStoreIT {
  private static final BundleOwner OWNER = new BundleOwner("team", Map.of("spark-app-selector", "app"), BundleOwner.OwnerType.Pod);
  private final String bucket = TestStorage.proxy().newBucket();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
  @TempDir Path first;
  @TempDir Path second;

  private S3BundleStore open(Path dir) throws Exception {
    return S3BundleStore.open(TestStorage.s3(bucket, Files.createDirectories(dir), Optional.empty()), 0, Duration.ofHours(1), clock);
  }

  private static BundleRecord store(S3BundleStore store) {
    try (var pending = store.create(1 << 20, 100)) {
      pending.write(new ByteArrayInputStream(new byte[100]));
      return pending.commit(OWNER, SecretDigest.of("secret"));
    }
  }

  @Test
  void cleanupsFreshListingSeesAnotherServersBundleAndDownloadAtOnce() throws Exception {
    try (var uploader = open(first); var cleaner = open(second)) {
      BundleRecord bundle = store(uploader);
      clock.advance(Duration.ofSeconds(5));
      uploader.recordFirstDownload(bundle.id());

      // The cached listing is an hour from its next refresh; quotas and metrics may lag that long.
      assertThat(cleaner.list()).isEmpty();
      assertThat(cleaner.listFresh()).singleElement().satisfies(record -> {
        assertThat(record.id()).isEqualTo(bundle.id());
        assertThat(record.firstDownloadedAt()).contains(Instant.parse("2026-11-28T10:00:05Z"));
      });
      assertThat(cleaner.list()).hasSize(1);
    }
  }

  @Test
  void aBundleDeletedThroughOneServerIsGoneForTheOtherAtOnce() throws Exception {
    try (var uploader = open(first); var other = open(second)) {
      BundleRecord bundle = store(uploader);
      assertThat(other.find(bundle.id())).isPresent();

      assertThat(other.delete(bundle.id())).isTrue();

      assertThat(uploader.find(bundle.id())).isEmpty();
      assertThat(uploader.delete(bundle.id())).isFalse();
      assertThat(uploader.listFresh()).isEmpty();
    }
  }
}
