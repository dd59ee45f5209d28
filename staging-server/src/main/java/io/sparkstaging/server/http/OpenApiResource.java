package io.sparkstaging.server.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.InputStream;

/** Serves the API description kept in the repository at {@code src/main/resources/openapi.yaml}. */
@Path("api/v1/openapi.yaml")
public final class OpenApiResource {
  @GET
  @Produces("application/yaml")
  public InputStream document() {
    return OpenApiResource.class.getResourceAsStream("/openapi.yaml");
  }
}
