package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.Response;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Global and per-namespace caps on stored bytes, through both upload APIs. */
class QuotasIT {
  private static final String TEAM_A = "{\"ownerNamespace\":\"team-a\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}";
  private static final String TEAM_B = "{\"ownerNamespace\":\"team-b\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}";

  @TempDir
  Path dataDir;

  private static Response upload(TestServer server, String owner, int bytes) {
    return given().header("Bundle-Owner", owner).body(new byte[bytes]).post(server.baseUri() + "/api/v1/bundles");
  }

  @Test
  void aNamespaceOverItsQuotaIsRefusedAndOthersAreNot() throws Exception {
    try (var server = TestServer.start(dataDir, settings -> settings.maxNamespaceSize = 1000)) {
      Response first = upload(server, TEAM_A, 600);
      first.then().statusCode(201);

      upload(server, TEAM_A, 600).then().statusCode(413).body("error", equalTo("quota_exceeded"));
      upload(server, TEAM_B, 600).then().statusCode(201);

      // Deleting frees the quota.
      given().header("Authorization", "Bearer " + first.path("resourceSecret"))
          .delete(server.baseUri() + "/api/v1/bundles/" + first.path("resourceId"))
          .then().statusCode(204);
      upload(server, TEAM_A, 600).then().statusCode(201);
      assertNoPartialData(server);
    }
  }

  @Test
  void theGlobalCapIsA507() throws Exception {
    try (var server = TestServer.start(dataDir, settings -> settings.maxTotalSize = 1000)) {
      upload(server, TEAM_A, 600).then().statusCode(201);

      upload(server, TEAM_B, 600).then().statusCode(507).body("error", equalTo("insufficient_storage"));
      assertNoPartialData(server);
    }
  }

  @Test
  void anAnnouncedSizeOverTheQuotaIsRefusedBeforeTheBody() throws Exception {
    try (var server = TestServer.start(dataDir, settings -> settings.maxNamespaceSize = 1000);
        var http = new RawHttp(server.port())) {
      http.send(
          "POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + TEAM_A + "\nContent-Length: 5000\nExpect: 100-continue\n\n");

      assertThat(http.readResponse()).startsWith("HTTP/1.1 413 ").contains("quota_exceeded");
      assertNoPartialData(server);
    }
  }

  @Test
  void aStreamedBodyOverTheQuotaIsRefusedWhileStreaming() throws Exception {
    try (var server = TestServer.start(dataDir, settings -> settings.maxNamespaceSize = 2 << 20);
        var http = new RawHttp(server.port())) {
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + TEAM_A + "\nTransfer-Encoding: chunked\n\n");
      var sending = http.sendZerosInBackground(8 << 20, true);

      assertThat(http.readResponse()).startsWith("HTTP/1.1 413 ").contains("quota_exceeded");
      sending.join();
      assertNoPartialData(server);
    }
  }

  @Test
  void aV0OwnerArrivingAfterTheBundleIsStillHeldToTheQuota() throws Exception {
    try (var server = TestServer.start(dataDir, settings -> settings.maxNamespaceSize = 1000)) {
      given().multiPart("resources", "b.tgz", new byte[1500], "multipart/form-data")
          .multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json")
          .post(server.baseUri() + "/api/v0/resources")
          .then().statusCode(413).body("error", equalTo("quota_exceeded"));
      assertNoPartialData(server);
    }
  }

  private static void assertNoPartialData(TestServer server) throws IOException {
    assertThat(server.partialUploads()).isZero();
  }
}
