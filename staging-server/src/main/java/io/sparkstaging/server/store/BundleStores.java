package io.sparkstaging.server.store;

import io.sparkstaging.server.config.ServerConfig;
import io.sparkstaging.server.store.s3.S3BundleStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/** Opens the store the configuration names: the local data directory, or a bucket. */
public final class BundleStores {
  /** Other servers' uploads and deletions reach quotas and metrics within this, or the cleanup interval if shorter. */
  private static final Duration MAX_LISTING_AGE = Duration.ofSeconds(10);

  private BundleStores() {}

  public static BundleStore open(ServerConfig config, Clock clock) throws IOException {
    if (config.s3().isPresent()) {
      Duration refresh = config.cleanupInterval().compareTo(MAX_LISTING_AGE) < 0 ? config.cleanupInterval() : MAX_LISTING_AGE;
      return S3BundleStore.open(config.s3().get(), config.minFreeSpace(), refresh, clock, config.blobGrace());
    }
    return LocalBundleStore.open(config.dataDir(), config.minFreeSpace(), clock, config.blobGrace());
  }
}
