package io.sparkstaging.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;

/** What the store holds: bundles and bytes, read from its index when scraped. */
public final class StoreMetrics {
  private StoreMetrics() {}

  public static void register(MeterRegistry registry, BundleStore store) {
    Gauge.builder("staging.bundles.stored", store, s -> s.list().size()).description("Bundles stored").register(registry);
    Gauge.builder("staging.bundles.stored.bytes", store, s -> s.list().stream().mapToLong(BundleRecord::size).sum())
        .description("Bytes of bundle content stored").baseUnit("bytes").register(registry);
  }
}
