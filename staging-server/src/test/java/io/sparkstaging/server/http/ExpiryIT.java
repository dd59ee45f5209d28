package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.restassured.response.Response;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.MutableClock;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server deletes a bundle nobody downloaded, and keeps one that was. */
class ExpiryIT {
  @TempDir
  Path dataDir;

  @Test
  void aBundleNeverDownloadedIsDeletedAndADownloadedOneKept() throws Exception {
    var clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    try (var server = TestServer.start(dataDir, settings -> {
      settings.clock = clock;
      settings.cleanupInterval = Duration.ofMillis(100);
    })) {
      Response unused = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(new byte[10]).post(server.baseUri() + "/api/v1/bundles");
      Response used = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(new byte[10]).post(server.baseUri() + "/api/v1/bundles");
      given().header("Authorization", used.<String>path("resourceSecret"))
          .get(server.baseUri() + "/api/v0/resources/" + used.path("resourceId"))
          .then().statusCode(200);

      clock.advance(server.config().initialAccessExpiration().plusSeconds(1));

      // HEAD, not GET: a GET would be the download that keeps the bundle alive.
      await().atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> given().header("Authorization", unused.<String>path("resourceSecret"))
              .head(server.baseUri() + "/api/v1/bundles/" + unused.path("resourceId"))
              .then().statusCode(404));
      given().header("Authorization", used.<String>path("resourceSecret"))
          .get(server.baseUri() + "/api/v0/resources/" + used.path("resourceId"))
          .then().statusCode(200);
      given().get(server.baseUri() + "/metrics").then().statusCode(200)
          .body(containsString("staging_bundles_deleted_total{reason=\"never_downloaded\"} 1.0"))
          .body(containsString("staging_bundles_stored 1.0"));
    }
  }
}
