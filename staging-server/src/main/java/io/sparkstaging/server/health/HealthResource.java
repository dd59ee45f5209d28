package io.sparkstaging.server.health;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BundleStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Map;

/** Probes for Kubernetes. */
@Path("")
public final class HealthResource {
  private final BundleStore store;

  public HealthResource(BundleStore store) {
    this.store = store;
  }

  /** Live: the process answers HTTP. */
  @GET
  @Path("healthz")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> live() {
    return Map.of("status", "ok");
  }

  /** Ready: an upload could be stored now. */
  @GET
  @Path("readyz")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> ready() {
    try {
      store.checkWritable();
    } catch (IOException e) {
      throw new StagingException(Problem.UNAVAILABLE, "storage is not writable: " + e.getMessage(), e);
    }
    return Map.of("status", "ready");
  }
}
