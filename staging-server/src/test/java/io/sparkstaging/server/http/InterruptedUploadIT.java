package io.sparkstaging.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that vanishes mid-upload leaves nothing behind and nothing visible. */
class InterruptedUploadIT {
  @TempDir
  Path dataDir;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dataDir, settings -> settings.idleTimeout = Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aV1ClientDisconnectingMidBodyLeavesNothing() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON + "\nContent-Length: 8000000\n\n");
      http.body().write(new byte[3_000_000]);
      http.body().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.partialUploads() > 0);
    }
    assertCleanedUp();
  }

  @Test
  void aClientDisconnectingAfterSeveralMegabytesLeavesNothing() throws Exception {
    // On S3 (5 MiB parts in the tests) a part is being sent, or was, when the client goes.
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON + "\nContent-Length: 64000000\n\n");
      http.body().write(new byte[13_000_000]);
      http.body().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.partialUploads() > 0);
    }
    assertCleanedUp();
  }

  @Test
  void aV0ClientDisconnectingMidPartLeavesNothing() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send(
          "POST /api/v0/resources/ HTTP/1.1\nHost: localhost\nContent-Type: multipart/form-data; boundary=b\nContent-Length: 8000000\n\n"
              + "--b\nContent-Disposition: form-data; name=\"resourcesOwner\"\nContent-Type: application/json\n\n" + Bundles.OWNER_JSON
              + "\n--b\nContent-Disposition: form-data; name=\"resources\"\nContent-Type: multipart/form-data\n\n");
      http.body().write(new byte[3_000_000]);
      http.body().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.partialUploads() > 0);
    }
    assertCleanedUp();
  }

  @Test
  void aStalledUploadIsTimedOutAndLeavesNothing() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON + "\nContent-Length: 1000000\n\n");
      http.body().write(new byte[1000]);
      http.body().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.partialUploads() > 0);

      // The client now sends nothing more; after the idle timeout the server gives up on it.
      assertCleanedUp();
    }
  }

  private void assertCleanedUp() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(server.partialUploads()).isZero();
      assertThat(server.storedObjects()).isZero();
    });
  }

}
