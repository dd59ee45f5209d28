package io.sparkstaging.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.LocalBundleStore;
import io.sparkstaging.server.store.PendingBundle;
import io.sparkstaging.server.store.SecretDigest;
import io.sparkstaging.server.support.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaperTest {
  private static final BundleOwner OWNER = new BundleOwner("ns", Map.of("spark-app-selector", "a"), BundleOwner.OwnerType.Pod);
  private static final RetentionPolicy POLICY = new RetentionPolicy(Duration.ofMinutes(30), Optional.empty());

  @TempDir
  Path root;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private static BundleRecord put(LocalBundleStore store) {
    try (PendingBundle pending = store.create(1 << 20, -1)) {
      pending.write(new ByteArrayInputStream(new byte[100]));
      return pending.commit(OWNER, SecretDigest.of("s"));
    }
  }

  private Reaper reaper(LocalBundleStore store) {
    return new Reaper(store, POLICY, clock, Executors.newSingleThreadScheduledExecutor(), Optional.empty(), Duration.ofMinutes(5), metrics,
        Leadership.alone());
  }

  @Test
  void deletesWhatThePolicyCondemnsAndKeepsTheRest() throws IOException {
    try (var store = LocalBundleStore.open(root, 0, clock, Duration.ofHours(1)); var reaper = reaper(store)) {
      BundleRecord unused = put(store);
      BundleRecord used = put(store);
      store.recordFirstDownload(used.id());
      clock.advance(Duration.ofMinutes(20));
      BundleRecord young = put(store);
      clock.advance(Duration.ofMinutes(15));

      assertThat(reaper.sweep()).isEqualTo(1);

      assertThat(store.find(unused.id())).isEmpty();
      assertThat(store.find(used.id())).isPresent();
      assertThat(store.find(young.id())).isPresent();
      assertThat(metrics.counter("staging.bundles.deleted", "reason", "never_downloaded").count()).isEqualTo(1);
      assertThat(metrics.counter("staging.bundles.deleted.bytes", "reason", "never_downloaded").count()).isEqualTo(100);
    }
  }

  @Test
  void aFirstDownloadSurvivesARestartSoTheBundleIsNotExpiredAfterIt() throws IOException {
    BundleRecord used;
    try (var store = LocalBundleStore.open(root, 0, clock, Duration.ofHours(1))) {
      used = put(store);
      store.recordFirstDownload(used.id());
    }
    clock.advance(Duration.ofHours(2));

    try (var restarted = LocalBundleStore.open(root, 0, clock, Duration.ofHours(1)); var reaper = reaper(restarted)) {
      assertThat(restarted.find(used.id()).orElseThrow().firstDownloadedAt()).isPresent();
      assertThat(reaper.sweep()).isZero();
    }
  }

  @Test
  void anExpiryDueDuringADowntimeIsAppliedAtTheFirstSweepAfterIt() throws IOException {
    BundleRecord unused;
    try (var store = LocalBundleStore.open(root, 0, clock, Duration.ofHours(1))) {
      unused = put(store);
    }
    clock.advance(Duration.ofHours(1));

    try (var restarted = LocalBundleStore.open(root, 0, clock, Duration.ofHours(1)); var reaper = reaper(restarted)) {
      assertThat(reaper.sweep()).isEqualTo(1);
      assertThat(restarted.find(unused.id())).isEmpty();
    }
  }
}
