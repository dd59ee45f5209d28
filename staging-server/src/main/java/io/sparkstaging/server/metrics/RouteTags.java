package io.sparkstaging.server.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.jetty12.server.DefaultJettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.JettyCoreRequestTagsProvider;
import io.sparkstaging.common.wire.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
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
  private static final String SEGMENT = "/[^/]+";
  /** Each route with variable segments: the pattern of its paths, and its template. */
  private static final Map<Pattern, String> TEMPLATES = templates();

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
    return TEMPLATES.entrySet().stream().filter(route -> route.getKey().matcher(trimmed).matches()).map(Map.Entry::getValue).findFirst()
        .orElse("other");
  }

  private static Map<Pattern, String> templates() {
    String namespaces = Pattern.quote(Routes.V1_NAMESPACES) + SEGMENT;
    Map<Pattern, String> templates = new LinkedHashMap<>();
    templates.put(Pattern.compile(Pattern.quote(Routes.V1_BUNDLES) + SEGMENT), Routes.v1Bundle("{id}"));
    templates.put(Pattern.compile(Pattern.quote(Routes.V1_BUNDLES) + SEGMENT + "/blobs" + SEGMENT),
        Routes.v1BundleBlob("{id}", "{sha256}"));
    templates.put(Pattern.compile(Pattern.quote(Routes.V0_RESOURCES) + SEGMENT), Routes.v0Resource("{id}"));
    templates.put(Pattern.compile(namespaces + "/blobs/missing"), Routes.v1MissingBlobs("{namespace}"));
    templates.put(Pattern.compile(namespaces + "/blobs" + SEGMENT), Routes.v1Blob("{namespace}", "{sha256}"));
    templates.put(Pattern.compile(namespaces + "/manifests"), Routes.v1Manifests("{namespace}"));
    return templates;
  }
}
