package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk without room for the reserve: uploads are refused with 507 before their body is sent, and the server is not ready. */
class DiskFullIT {
  @TempDir
  Path dataDir;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dataDir, settings -> settings.minFreeSpace = Long.MAX_VALUE / 2);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    assertThat(Bundles.filesUnder(dataDir.resolve("incoming"))).isZero();
    assertThat(Bundles.filesUnder(dataDir.resolve("bundles"))).isZero();
  }

  @Test
  void v1UploadsAre507() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON
          + "\nContent-Length: 1000\nExpect: 100-continue\n\n");
      assertThat(http.readResponse()).startsWith("HTTP/1.1 507 ").contains("\"error\":\"insufficient_storage\"");
    }
  }

  @Test
  void v0UploadsAre507() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v0/resources HTTP/1.1\nHost: localhost\nContent-Type: multipart/form-data; boundary=b"
          + "\nContent-Length: 1000\nExpect: 100-continue\n\n");
      assertThat(http.readResponse()).startsWith("HTTP/1.1 507 ").contains("\"error\":\"insufficient_storage\"");
    }
  }

  @Test
  void filesStagedByDigestAre507() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("PUT " + Routes.v1Blob("spark-jobs", "a".repeat(64)) + " HTTP/1.1\nHost: localhost\nContent-Length: 1000\n"
          + "Expect: 100-continue\n\n");
      assertThat(http.readResponse()).startsWith("HTTP/1.1 507 ").contains("\"error\":\"insufficient_storage\"");
    }
    assertThat(Bundles.filesUnder(dataDir.resolve("blobs"))).isZero();
  }

  @Test
  void theServerIsNotReady() {
    given().get(server.baseUri() + "/readyz").then().statusCode(503).body("error", equalTo("unavailable"));
  }
}
