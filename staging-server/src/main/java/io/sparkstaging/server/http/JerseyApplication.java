package io.sparkstaging.server.http;

import io.sparkstaging.server.health.PingResource;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The JAX-RS side of the server: resources built by the caller, plus JSON and error mapping. */
public final class JerseyApplication extends ResourceConfig {
  public JerseyApplication(Object... resources) {
    register(JacksonFeature.withoutExceptionMappers());
    register(new ErrorMappers.Staging());
    register(new ErrorMappers.Web());
    register(new ErrorMappers.Unexpected());
    register(new OpenApiResource());
    register(new PingResource());
    for (Object resource : resources) {
      register(resource);
    }
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    // Errors are ours to render; the servlet container must not replace them with its HTML page.
    property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
  }
}
