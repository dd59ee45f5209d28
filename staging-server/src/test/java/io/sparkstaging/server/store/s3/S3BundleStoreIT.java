package io.sparkstaging.server.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.server.config.S3Config;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.support.MutableClock;
import io.sparkstaging.server.support.TestStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Two stores on one bucket, listing it rarely: what each sees of the other's changes, and when. */
class S3BundleStoreIT {
  private static final BundleOwner OWNER = new BundleOwner("team", Map.of("spark-app-selector", "app"), BundleOwner.OwnerType.Pod);
  private final String bucket = TestStorage.proxy().newBucket();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
  @TempDir
  Path first;
  @TempDir
  Path second;

  private S3BundleStore open(Path dir) throws Exception {
    return S3BundleStore.open(TestStorage.s3(bucket, Files.createDirectories(dir), Optional.empty()), 0, Duration.ofHours(1), clock,
        Duration.ofHours(1));
  }

  /** A store whose client fails every deletion of a bundle's content, as an outage mid-way would. */
  private S3BundleStore openFailingContentDeletes(Path dir) throws Exception {
    S3Config config = TestStorage.s3(bucket, Files.createDirectories(dir), Optional.empty());
    S3Client real = S3Clients.client(config);
    S3Client failing = (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
        (proxy, method, args) -> {
          if (args != null && args.length == 1 && args[0] instanceof DeleteObjectRequest delete && delete.key().endsWith("/content")) {
            throw SdkClientException.create("injected: connection reset");
          }
          if (args != null && args.length == 1 && args[0] instanceof Consumer<?>) {
            // The SDK's builder-taking forms are defaults that build the request and call the plain form.
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return S3BundleStore.open(config, failing, 0, Duration.ofHours(1), clock, Duration.ofHours(1));
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

  @Test
  void aDeletionThatFailsAfterTheMetadataLeavesTheBundleGoneForEveryServerUntilCleanupRemovesTheRest() throws Exception {
    BundleRecord bundle;
    try (var store = openFailingContentDeletes(first)) {
      bundle = store(store);

      assertThatThrownBy(() -> store.delete(bundle.id())).isInstanceOf(IOException.class).hasMessageContaining("injected");

      assertThat(store.find(bundle.id())).isEmpty();
      assertThat(store.list()).isEmpty();
    }
    assertThat(keysOf(bundle)).containsExactly(TestStorage.PREFIX + "bundles/" + bundle.id().value() + "/content");
    try (var restarted = open(second)) {
      assertThat(restarted.list()).isEmpty();
      assertThat(restarted.find(bundle.id())).isEmpty();
      assertThat(restarted.delete(bundle.id())).isFalse();

      restarted.removeLeftovers(Instant.now().plus(LeftoverSweeper.LEFTOVER_AGE).plusSeconds(60));
    }
    assertThat(keysOf(bundle)).isEmpty();
  }

  private List<String> keysOf(BundleRecord bundle) {
    return TestStorage.client().listObjectsV2(list -> list.bucket(bucket).prefix(TestStorage.PREFIX + "bundles/" + bundle.id().value()))
        .contents().stream().map(S3Object::key).toList();
  }
}
