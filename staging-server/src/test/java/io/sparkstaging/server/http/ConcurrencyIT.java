package io.sparkstaging.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many uploads and downloads at once: each gets exactly its own bytes. */
class ConcurrencyIT {
  private static final int UPLOADS = 16;
  private static final int DOWNLOADS = 64;

  @TempDir
  Path dataDir;
  private final JdkClient client = new JdkClient();

  @Test
  void concurrentUploadsAndDownloadsStayIntact() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try (var server = TestServer.start(dataDir)) {
      List<Future<JsonNode>> uploads = new ArrayList<>();
      List<byte[]> contents = new ArrayList<>();
      for (int i = 0; i < UPLOADS; i++) {
        byte[] content = Bundles.random(1_000_000 + i, i);
        contents.add(content);
        uploads.add(pool.submit(() -> client.upload(server.baseUri(), content)));
      }
      List<Future<String>> downloads = new ArrayList<>();
      for (int i = 0; i < DOWNLOADS; i++) {
        JsonNode receipt = uploads.get(i % UPLOADS).get();
        downloads.add(pool.submit(() -> client.downloadSha256(server.baseUri(), receipt)));
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
}
