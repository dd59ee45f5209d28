package io.sparkstaging.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** Prometheus metrics, in the text exposition format. */
@Path("metrics")
public final class MetricsResource {
  private final PrometheusMeterRegistry registry;
  private final StoreMetrics store;

  public MetricsResource(PrometheusMeterRegistry registry, StoreMetrics store) {
    this.registry = registry;
    this.store = store;
  }

  @GET
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  public String scrape() {
    store.refresh();
    return registry.scrape();
  }
}
