package io.sparkstaging.server.http;

import io.sparkstaging.common.wire.Routes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.InputStream;

/** Serves the API description kept in the repository at {@code src/main/resources/openapi.yaml}. */
@Path(Routes.V1_OPENAPI)
public final class OpenApiResource {
  @GET
  @Produces("application/yaml")
  public InputStream document() {
    return OpenApiResource.class.getResourceAsStream("/openapi.yaml");
  }
}
