package io.sparkstaging.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A route's tag is its template: no id, digest or namespace makes a time series of its own. */
class RouteTagsTest {
  @ParameterizedTest
  @CsvSource({
      "/api/v1/bundles, /api/v1/bundles",
      "/api/v1/bundles/0123abcd, /api/v1/bundles/{id}",
      "/api/v1/bundles/0123abcd/blobs/ff00, /api/v1/bundles/{id}/blobs/{sha256}",
      "/api/v0/resources/0123abcd/, /api/v0/resources/{id}",
      "/api/v1/namespaces/team-a/blobs/missing, /api/v1/namespaces/{namespace}/blobs/missing",
      "/api/v1/namespaces/team-a/blobs/ff00, /api/v1/namespaces/{namespace}/blobs/{sha256}",
      "/api/v1/namespaces/team-a/manifests, /api/v1/namespaces/{namespace}/manifests",
      "/api/v1/namespaces/team-a/secrets, other",
      "/wp-admin, other"})
  void eachPathIsTaggedWithItsRoutesTemplate(String path, String route) {
    assertThat(RouteTags.route(path)).isEqualTo(route);
  }
}
