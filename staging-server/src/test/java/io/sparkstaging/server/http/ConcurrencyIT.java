package io.sparkstaging.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many uploads and downloads at once: each gets exactly its own bytes. */
class ConcurrencyIT {
  private static final int UPLOADS = 16;
  private static final int DOWNLOADS = 64;

  @TempDir Path dataDir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void concurrentUploadsAndDownloadsStayIntact() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try (var server = TestServer.start(dataDir)) {
      List<Future<JsonNode>> uploads = new ArrayList<>();
      List<byte[]> contents = new ArrayList<>();
      for (int i = 0; i < UPLOADS; i++) {
        byte[] content = Bundles.random(1_000_000 + i, i);
        contents.add(content);
        uploads.add(pool.submit(() -> upload(server, content)));
      }
      List<Future<String>> downloads = new ArrayList<>();
      for (int i = 0; i < DOWNLOADS; i++) {
        JsonNode receipt = uploads.get(i % UPLOADS).get();
        downloads.add(pool.submit(downloadDigest(server, receipt)));
      }
      for (int i = 0; i < DOWNLOADS; i++) {
        assertThat(downloads.get(i).get()).isEqualTo(Bundles.sha256Hex(contents.get(i % UPLOADS)));
      }
      for (int i = 0; i < UPLOADS; i++) {
        assertThat(uploads.get(i).get().get("sha256").asText()).isEqualTo(Bundles.sha256Hex(contents.get(i)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private JsonNode upload(TestServer server, byte[] content) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/v1/bundles"))
        .header("Bundle-Owner", Bundles.OWNER_JSON).POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
    return json.readTree(response.body());
  }

  private Callable<String> downloadDigest(TestServer server, JsonNode receipt) {
    return () -> {
      HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
              URI.create(server.baseUri() + "/api/v1/bundles/" + receipt.get("resourceId").asText()))
          .header("Authorization", "Bearer " + receipt.get("resourceSecret").asText()).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      try (var in = new DigestInputStream(response.body(), Bundles.sha256())) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(in.getMessageDigest().digest());
      }
    };
  }
}
