package io.sparkstaging.server.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.jetty12.server.DefaultJettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.JettyCoreRequestTagsProvider;
import io.sparkstaging.common.wire.Routes;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;

/**
 * Tags request timings with the route, its template rather than its path: a bundle id in a tag
 * would make a new time series per bundle, and a scanner probing paths one per path.
 */
final class RouteTags implements JettyCoreRequestTagsProvider {
  private static final Set<String> FIXED = Set.of(Routes.V1_BUNDLES, Routes.V0_RESOURCES, Routes.V0_PING, Routes.V1_OPENAPI,
      "/healthz", "/readyz", "/metrics");
  private static final Pattern V1_BUNDLE = Pattern.compile(Pattern.quote(Routes.V1_BUNDLES) + "/[^/]+");
  private static final Pattern V0_BUNDLE = Pattern.compile(Pattern.quote(Routes.V0_RESOURCES) + "/[^/]+");

  private final JettyCoreRequestTagsProvider standard = new DefaultJettyCoreRequestTagsProvider();

  @Override
  public Iterable<Tag> getTags(Request request) {
    return Tags.concat(standard.getTags(request), Tags.of("route", route(Request.getPathInContext(request))));
  }

  static String route(String path) {
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (FIXED.contains(trimmed)) {
      return trimmed;
    }
    if (V1_BUNDLE.matcher(trimmed).matches()) {
      return Routes.v1Bundle("{id}");
    }
    if (V0_BUNDLE.matcher(trimmed).matches()) {
      return Routes.v0Resource("{id}");
    }
    return "other";
  }
}
