package io.sparkstaging.server.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BlobStore;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.LocalBundleStore;
import io.sparkstaging.server.store.PendingBundle;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.ForwardingBundleStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotasTest {
  @TempDir
  Path root;

  private static void store(LocalBundleStore store, String namespace, int bytes) {
    try (PendingBundle pending = store.create(1 << 30, bytes)) {
      pending.write(new ByteArrayInputStream(new byte[bytes]));
      pending.commit(new BundleOwner(namespace, Map.of("a", "b"), BundleOwner.OwnerType.Pod), SecretDigest.of("s"));
    }
  }

  private static Problem refusal(Runnable action) {
    try {
      action.run();
      throw new AssertionError("not refused");
    } catch (StagingException e) {
      return e.problem();
    }
  }

  @Test
  void uploadsInFlightCountAgainstTheCapsUntilReleased() throws IOException {
    try (var store = LocalBundleStore.open(root, 0, Clock.systemUTC(), Duration.ofHours(1))) {
      var quotas = new Quotas(store, 0, 1000);
      store(store, "team-a", 300);

      try (var first = quotas.reserve("team-a", 500)) {
        assertThat(refusal(() -> quotas.reserve("team-a", 300))).isEqualTo(Problem.QUOTA_EXCEEDED);
        quotas.reserve("team-b", 900).close();
      }
      quotas.reserve("team-a", 700).close();
    }
  }

  @Test
  void aFileStagedByDigestCountsOnceInItsNamespaceHoweverManyBundlesListIt() throws IOException {
    try (var store = LocalBundleStore.open(root, 0, Clock.systemUTC(), Duration.ofHours(1))) {
      var quotas = new Quotas(store, 0, 1000);
      byte[] jar = new byte[600];
      String sha256 = Bundles.sha256Hex(jar);
      BlobStore blobs = store.blobs().orElseThrow();
      blobs.write("team-a", sha256, new ByteArrayInputStream(jar), 1 << 20, jar.length);
      var owner = new BundleOwner("team-a", Map.of("a", "b"), BundleOwner.OwnerType.Pod);
      for (int i = 0; i < 3; i++) {
        blobs.commit(owner, SecretDigest.of("s"), new Manifest(List.of(new ManifestFile("app.jar", sha256, 600, 0644))), 1 << 20);
      }

      quotas.reserve("team-a", 400).close();
      assertThat(refusal(() -> quotas.reserve("team-a", 401))).isEqualTo(Problem.QUOTA_EXCEEDED);
    }
  }

  @Test
  void aGrowingBodyIsRefusedOnceOverTheCap() throws IOException {
    try (var store = LocalBundleStore.open(root, 0, Clock.systemUTC(), Duration.ofHours(1));
        var room = new Quotas(store, 3 << 20, 0).reserve("ns", -1)) {
      InputStream metered = room.meter(new ByteArrayInputStream(new byte[5 << 20]));

      assertThatThrownBy(metered::readAllBytes).isInstanceOfSatisfying(StagingException.class,
          e -> assertThat(e.problem()).isEqualTo(Problem.INSUFFICIENT_STORAGE));
    }
  }

  @Test
  void theStoreIsCountedOncePerRefreshNotAtEveryMegabyteOfEveryUpload() throws IOException {
    try (var local = LocalBundleStore.open(root, 0, Clock.systemUTC(), Duration.ofHours(1))) {
      store(local, "team-a", 100);
      var listings = new AtomicInteger();
      var counted = new ForwardingBundleStore(local) {
        @Override
        public Collection<BundleRecord> list() {
          listings.incrementAndGet();
          return super.list();
        }
      };
      var quotas = new Quotas(counted, 1L << 40, 1L << 40, () -> 0L);

      try (var room = quotas.reserve("team-a", -1)) {
        room.meter(new ByteArrayInputStream(new byte[64 << 20])).transferTo(OutputStream.nullOutputStream());
      }

      assertThat(listings).hasValue(1);
    }
  }

  @Test
  void whatThisServerStoresOrDeletesIsCountedAtOnceAndOtherChangesAfterTheRefresh() throws IOException {
    try (var local = LocalBundleStore.open(root, 0, Clock.systemUTC(), Duration.ofHours(1))) {
      long[] now = {0};
      var shared = new ForwardingBundleStore(local) {
        long othersChanges;

        @Override
        public long changeCount() {
          return super.changeCount() - othersChanges;
        }
      };
      var quotas = new Quotas(shared, 0, 1000, () -> now[0]);
      quotas.reserve("team-a", 100).close();

      store(local, "team-a", 600);
      assertThat(refusal(() -> quotas.reserve("team-a", 500))).isEqualTo(Problem.QUOTA_EXCEEDED);
      local.delete(local.list().iterator().next().id());
      quotas.reserve("team-a", 900).close();

      // Another replica on the bucket stored one: this server's change count does not move, the listing does.
      shared.othersChanges++;
      store(local, "team-a", 600);
      quotas.reserve("team-a", 900).close();
      now[0] += Quotas.REFRESH.toNanos();
      assertThat(refusal(() -> quotas.reserve("team-a", 900))).isEqualTo(Problem.QUOTA_EXCEEDED);
    }
  }

  @Test
  void aNamespaceLearnedLateIsCheckedThen() throws IOException {
    try (var store = LocalBundleStore.open(root, 0, Clock.systemUTC(), Duration.ofHours(1))) {
      store(store, "team-a", 800);
      var room = new Quotas(store, 0, 1000).reserve(null, 500);

      assertThat(refusal(() -> room.assign("team-a"))).isEqualTo(Problem.QUOTA_EXCEEDED);
      room.close();
    }
  }
}
