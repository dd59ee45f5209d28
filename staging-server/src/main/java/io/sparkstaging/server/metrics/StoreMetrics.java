package io.sparkstaging.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** What the store holds, in all and per owner namespace: bundles and bytes, read from its index. */
public final class StoreMetrics {
  private final BundleStore store;
  private final MultiGauge bundlesByNamespace;
  private final MultiGauge bytesByNamespace;

  private StoreMetrics(BundleStore store, MultiGauge bundlesByNamespace, MultiGauge bytesByNamespace) {
    this.store = store;
    this.bundlesByNamespace = bundlesByNamespace;
    this.bytesByNamespace = bytesByNamespace;
  }

  public static StoreMetrics register(MeterRegistry registry, BundleStore store) {
    Gauge.builder("staging.bundles.stored", store, s -> s.list().size()).description("Bundles stored").register(registry);
    Gauge.builder("staging.bundles.stored.bytes", store, s -> s.list().stream().mapToLong(BundleRecord::size).sum())
        .description("Bytes of the bundles stored, as a whole download sends them: a file staged by digest counts in every bundle that "
            + "lists it")
        .baseUnit("bytes").register(registry);
    Gauge.builder("staging.blobs.stored.bytes", store, StoreMetrics::blobBytes)
        .description("Bytes of the files staged by digest, each kept once per namespace").baseUnit("bytes").register(registry);
    Gauge.builder("staging.storage.bytes", store, s -> s.list().stream().mapToLong(BundleRecord::storedBytes).sum() + blobBytes(s))
        .description("Bytes the store keeps: bundles uploaded whole, and files staged by digest once each").baseUnit("bytes")
        .register(registry);
    return new StoreMetrics(store,
        MultiGauge.builder("staging.namespace.bundles.stored").description("Bundles stored, by owner namespace").register(registry),
        MultiGauge.builder("staging.namespace.bundles.stored.bytes").description("Bytes of bundle content stored, by owner namespace")
            .baseUnit("bytes").register(registry));
  }

  private static long blobBytes(BundleStore store) {
    return store.blobs().map(blobs -> blobs.storedBytes().values().stream().mapToLong(Long::longValue).sum()).orElse(0L);
  }

  /** Namespaces come and go with uploads and deletions, so their rows are rebuilt before each scrape. */
  public void refresh() {
    Map<String, List<BundleRecord>> byNamespace =
        store.list().stream().collect(Collectors.groupingBy(record -> record.owner().ownerNamespace()));
    bundlesByNamespace.register(rows(byNamespace, Collection::size), true);
    bytesByNamespace.register(rows(byNamespace, records -> records.stream().mapToLong(BundleRecord::size).sum()), true);
  }

  private static List<MultiGauge.Row<?>> rows(Map<String, List<BundleRecord>> byNamespace, ToLongFunction<Collection<BundleRecord>> value) {
    return byNamespace.entrySet()
        .stream().<MultiGauge.Row<?>>map(
            entry -> MultiGauge.Row.of(Tags.of("owner_namespace", entry.getKey()), value.applyAsLong(entry.getValue())))
        .toList();
  }
}
