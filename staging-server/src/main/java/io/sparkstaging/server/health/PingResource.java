package io.sparkstaging.server.health;

import io.sparkstaging.common.wire.Routes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The original server's health check, kept for its clients. */
@Path(Routes.V0_PING)
public final class PingResource {
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public String ping() {
    return "pong";
  }
}
