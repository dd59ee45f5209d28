package io.sparkstaging.server.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.server.StagingServer;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.LocalBundleStore;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.ForwardingBundleStore;
import io.sparkstaging.server.support.ForwardingChannel;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads under pressure: clients that never read, bundles deleted mid-request, a store that fails. */
class DownloadLimitsIT {
  @TempDir
  Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  private StagingServer start(Consumer<TestSettings> settings, UnaryOperator<BundleStore> wrap, BundleStore local) throws Exception {
    var test = new TestSettings();
    settings.accept(test);
    return StagingServer.start(test.toConfig(dataDir), wrap.apply(local), Clock.systemUTC(), Map.of());
  }

  private HttpResponse<String> get(String base, JsonNode receipt) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/bundles/" + receipt.get("resourceId").asText()))
        .header("Authorization", "Bearer " + receipt.get("resourceSecret").asText()).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
  }

  private static String metric(String base, String name) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(line -> line.startsWith(name + " ")).findFirst().orElse("").replace(name + " ", "");
  }

  @Test
  void downloadsPastTheLimitAre503WithRetryAfterUntilOneEnds() throws Exception {
    try (var local = LocalBundleStore.open(dataDir, 0, Clock.systemUTC(), Duration.ofHours(1));
        var server = start(settings -> settings.maxDownloads = 2, store -> store, local)) {
      String base = "http://127.0.0.1:" + server.port();
      // Far more than loopback's socket buffers take, so a client that does not read stalls the download.
      JsonNode receipt = new JdkClient().upload(base, Bundles.random(48 << 20, 7));
      var stalled = new ArrayList<RawHttp>();
      try {
        for (int i = 0; i < 2; i++) {
          var client = new RawHttp(server.port());
          client.send("GET /api/v1/bundles/" + receipt.get("resourceId").asText() + " HTTP/1.1\nHost: x\nAuthorization: Bearer "
              + receipt.get("resourceSecret").asText() + "\n\n");
          stalled.add(client);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(base, "staging_downloads_in_flight").equals("2.0"));

        HttpResponse<String> refused = get(base, receipt);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(new ObjectMapper().readTree(refused.body()).get("error").asText()).isEqualTo("unavailable");
      } finally {
        for (RawHttp client : stalled) {
          client.close();
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> metric(base, "staging_downloads_in_flight").equals("0.0"));
      HttpResponse<String> served = get(base, receipt);
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.body().length()).isEqualTo(48 << 20);
    }
  }

  @Test
  void aBundleDeletedAfterItsSecretWasCheckedIsACleanNotFound() throws Exception {
    try (var local = LocalBundleStore.open(dataDir, 0, Clock.systemUTC(), Duration.ofHours(1));
        var server = start(settings -> {}, DeletedBeforeOpen::new, local)) {
      String base = "http://127.0.0.1:" + server.port();
      JsonNode receipt = new JdkClient().upload(base, Bundles.random(100_000, 8));

      HttpResponse<String> response = get(base, receipt);

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(new ObjectMapper().readTree(response.body()).get("error").asText()).isEqualTo("not_found");
      assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length());
      assertThat(response.headers().firstValue("ETag")).isEmpty();
      assertThat(metric(base, "staging_downloads_in_flight")).isEqualTo("0.0");
    }
  }

  @Test
  void aFailureInsideTheServerAnswers500WithAnIncidentIdAndNothingInternal() throws Exception {
    try (var local = LocalBundleStore.open(dataDir, 0, Clock.systemUTC(), Duration.ofHours(1));
        var server = start(settings -> {}, FailingOpen::new, local)) {
      String base = "http://127.0.0.1:" + server.port();
      JsonNode receipt = new JdkClient().upload(base, Bundles.random(1000, 9));

      HttpResponse<String> response = get(base, receipt);

      assertThat(response.statusCode()).isEqualTo(500);
      JsonNode body = new ObjectMapper().readTree(response.body());
      assertThat(body.get("error").asText()).isEqualTo("internal_error");
      assertThat(body.get("message").asText()).matches("internal error; the server log has details under incident [0-9a-f-]{36}")
          .doesNotContain("/var/lib/secret-place");
      assertThat(metric(base, "staging_downloads_in_flight")).isEqualTo("0.0");
    }
  }

  @Test
  void aPermissionErrorOpeningTheBundleIsA500WithAnIncidentIdAndNoPath() throws Exception {
    try (var local = LocalBundleStore.open(dataDir, 0, Clock.systemUTC(), Duration.ofHours(1));
        var server = start(settings -> {}, DeniedOpen::new, local)) {
      String base = "http://127.0.0.1:" + server.port();
      JsonNode receipt = new JdkClient().upload(base, Bundles.random(1000, 12));

      HttpResponse<String> response = get(base, receipt);

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(new ObjectMapper().readTree(response.body()).get("message").asText())
          .startsWith("internal error; the server log has details")
          .doesNotContain("/var/lib").doesNotContain("AccessDenied");
    }
  }

  @Test
  void aReadFailingAfterTheHeadersClosesTheConnectionWithNothingButBundleBytesSent() throws Exception {
    byte[] content = Bundles.random(4 << 20, 13);
    try (var local = LocalBundleStore.open(dataDir, 0, Clock.systemUTC(), Duration.ofHours(1));
        var server = start(settings -> {}, FailingMidway::new, local)) {
      String base = "http://127.0.0.1:" + server.port();
      JsonNode receipt = new JdkClient().upload(base, content);

      try (var client = new RawHttp(server.port())) {
        client.send("GET /api/v1/bundles/" + receipt.get("resourceId").asText() + " HTTP/1.1\nHost: x\nAuthorization: Bearer "
            + receipt.get("resourceSecret").asText() + "\n\n");
        String response = client.readResponse();

        // The status was sent already: the only honest signal left is a body shorter than announced, then the end.
        assertThat(response).startsWith("HTTP/1.1 200").contains("Content-Length: " + content.length);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(body.length()).isLessThan(content.length);
        assertThat(body).isEqualTo(new String(content, 0, body.length(), StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void aFailureAfterTheBundleIsOpenedReleasesItsSlot() throws Exception {
    try (var local = LocalBundleStore.open(dataDir, 0, Clock.systemUTC(), Duration.ofHours(1));
        var server = start(settings -> settings.maxDownloads = 1, FailingBookkeeping::new, local)) {
      String base = "http://127.0.0.1:" + server.port();
      JsonNode receipt = new JdkClient().upload(base, Bundles.random(1000, 14));

      assertThat(get(base, receipt).statusCode()).isEqualTo(500);
      // With one slot only, a leaked one would make this a 503.
      assertThat(get(base, receipt).statusCode()).isEqualTo(500);
      assertThat(metric(base, "staging_downloads_in_flight")).isEqualTo("0.0");
    }
  }

  /** Noting the first download fails in a way the handler does not expect. */
  private static final class FailingBookkeeping extends ForwardingBundleStore {
    FailingBookkeeping(BundleStore store) {
      super(store);
    }

    @Override
    public void recordFirstDownload(BundleId id) {
      throw new IllegalStateException("bookkeeping broke");
    }
  }

  /** The disk refuses to open the bundle's file. */
  private static final class DeniedOpen extends ForwardingBundleStore {
    DeniedOpen(BundleStore store) {
      super(store);
    }

    @Override
    public SeekableByteChannel open(BundleId id) throws IOException {
      throw new java.nio.file.AccessDeniedException("/var/lib/spark-staging/bundles/" + id + "/content");
    }
  }

  /** The disk fails after the first megabyte. */
  private static final class FailingMidway extends ForwardingBundleStore {
    FailingMidway(BundleStore store) {
      super(store);
    }

    @Override
    public SeekableByteChannel open(BundleId id) throws IOException {
      SeekableByteChannel channel = store.open(id);
      return new ForwardingChannel(channel) {
        @Override
        public int read(java.nio.ByteBuffer destination) throws IOException {
          if (channel.position() >= (1 << 20)) {
            throw new IOException("Input/output error: /var/lib/spark-staging/bundles/" + id + "/content");
          }
          return channel.read(destination);
        }
      };
    }
  }

  /** Another request deletes the bundle between the secret check and the read. */
  private static final class DeletedBeforeOpen extends ForwardingBundleStore {
    DeletedBeforeOpen(BundleStore store) {
      super(store);
    }

    @Override
    public SeekableByteChannel open(BundleId id) throws IOException {
      store.delete(id);
      return store.open(id);
    }
  }

  private static final class FailingOpen extends ForwardingBundleStore {
    FailingOpen(BundleStore store) {
      super(store);
    }

    @Override
    public SeekableByteChannel open(BundleId id) {
      throw new IllegalStateException("cannot map /var/lib/secret-place/" + id);
    }
  }
}
