package io.sparkstaging.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as operators run it. */
class ServerProcessIT {
  /** Override with -Dstaging.it.bigBundleBytes=... for a quicker local run. */
  private static final long BIG_BUNDLE = Long.getLong("staging.it.bigBundleBytes", 2L << 30);

  @TempDir
  Path dataDir;
  private final JdkClient client = new JdkClient();

  @Test
  void aTwoGibibyteBundleStreamsInAndOutOfA128MiBHeap() throws Exception {
    try (var server = ServerProcess.start(dataDir, List.of("-Xmx128m"), "--max-bundle-size", "3g")) {
      var source = new GeneratedContent(BIG_BUNDLE);
      JsonNode receipt = client.upload(server.baseUri(),
          HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> source), BIG_BUNDLE));
      assertThat(receipt.get("size").asLong()).isEqualTo(BIG_BUNDLE);
      assertThat(receipt.get("sha256").asText()).isEqualTo(source.sha256Hex());

      assertThat(client.downloadSha256(server.baseUri(), receipt)).isEqualTo(source.sha256Hex());
      System.out.printf("2 GiB round trip at -Xmx128m: peak RSS %d MiB%n", server.peakRssBytes() >> 20);
    }
  }

  @Test
  void manyConcurrentDownloadsNeedNoMoreHeap() throws Exception {
    byte[] content = Bundles.random(16 << 20, 3);
    int downloads = 128;
    try (var server = ServerProcess.start(dataDir, List.of("-Xmx128m"))) {
      JsonNode receipt = client.upload(server.baseUri(), content);
      ExecutorService pool = Executors.newFixedThreadPool(downloads);
      try {
        List<Future<String>> digests = new ArrayList<>();
        for (int i = 0; i < downloads; i++) {
          digests.add(pool.submit(() -> client.downloadSha256(server.baseUri(), receipt)));
        }
        for (Future<String> digest : digests) {
          assertThat(digest.get()).isEqualTo(Bundles.sha256Hex(content));
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf("%d concurrent 16 MiB downloads at -Xmx128m: peak RSS %d MiB%n", downloads, server.peakRssBytes() >> 20);
    }
  }

  @Test
  void killMinusNineMidUploadLosesNoCommittedBundleAndShowsNoPartialOne() throws Exception {
    JsonNode[] committed = new JsonNode[3];
    byte[][] contents = new byte[3][];
    try (var server = ServerProcess.start(dataDir, List.of())) {
      for (int i = 0; i < committed.length; i++) {
        contents[i] = Bundles.random(500_000, i);
        committed[i] = client.upload(server.baseUri(), contents[i]);
      }
      try (var http = new RawHttp(server.port())) {
        http.send(
            "POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON + "\nContent-Length: 100000000\n\n");
        http.body().write(new byte[5_000_000]);
        http.body().flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> Bundles.filesUnder(dataDir.resolve("incoming")) > 0);
        server.kill();
      }
    }

    try (var restarted = ServerProcess.start(dataDir, List.of())) {
      assertThat(restarted.output()).contains("Discarded 1 interrupted upload");
      assertThat(Bundles.filesUnder(dataDir.resolve("incoming"))).isZero();
      try (var bundles = Files.list(dataDir.resolve("bundles"))) {
        assertThat(bundles.count()).isEqualTo(committed.length);
      }
      for (int i = 0; i < committed.length; i++) {
        assertThat(client.downloadSha256(restarted.baseUri(), committed[i])).isEqualTo(Bundles.sha256Hex(contents[i]));
      }
    }
  }

  @Test
  void sigtermRefusesNewConnectionsButLetsAnInFlightDownloadFinish() throws Exception {
    byte[] content = Bundles.random(32 << 20, 7);
    try (var server = ServerProcess.start(dataDir, List.of(), "--shutdown-grace", "30s")) {
      JsonNode receipt = client.upload(server.baseUri(), content);
      int port = server.port();
      try (var in = new DigestInputStream(client.download(server.baseUri(), receipt), Bundles.sha256())) {
        in.readNBytes(1 << 20);

        server.terminate();
        await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));

        in.transferTo(OutputStream.nullOutputStream());
        assertThat(HexFormat.of().formatHex(in.getMessageDigest().digest())).isEqualTo(Bundles.sha256Hex(content));
      }
      int exit = server.waitForExit();
      assertThat(server.output()).as("exit " + exit).contains("Stopped");
    }
  }

  @Test
  void aStartAfterSigtermReadsTheIndexTheStopLeftAndAStartAfterKillMinusNineReadsEveryBundle() throws Exception {
    byte[] content = Bundles.random(10_000, 8);
    JsonNode receipt;
    try (var server = ServerProcess.start(dataDir, List.of())) {
      receipt = client.upload(server.baseUri(), content);
      client.upload(server.baseUri(), new byte[10]);
      server.terminate();
      server.waitForExit();
      assertThat(server.output()).contains("Stopped");
    }
    assertThat(dataDir.resolve("index.snapshot")).isRegularFile();

    try (var restarted = ServerProcess.start(dataDir, List.of())) {
      assertThat(restarted.output()).contains("Loaded 2 bundle(s)")
          .contains("(2 as the last clean stop listed them, 0 from their metadata files)");
      assertThat(dataDir.resolve("index.snapshot")).doesNotExist();
      assertThat(client.downloadSha256(restarted.baseUri(), receipt)).isEqualTo(Bundles.sha256Hex(content));
      restarted.kill();
    }
    assertThat(dataDir.resolve("index.snapshot")).doesNotExist();

    try (var afterCrash = ServerProcess.start(dataDir, List.of())) {
      assertThat(afterCrash.output()).contains("(0 as the last clean stop listed them, 2 from their metadata files)");
      assertThat(client.downloadSha256(afterCrash.baseUri(), receipt)).isEqualTo(Bundles.sha256Hex(content));
    }
  }

  @Test
  void aConfigurationErrorExitsWithCode2AndOneClearLine() throws Exception {
    try (var server = ServerProcess.launch(List.of(), "--max-bundle-size", "huge")) {
      assertThat(server.waitForExit()).isEqualTo(2);
      assertThat(server.output()).startsWith("staging-server: configuration error: Invalid value for option '--max-bundle-size': "
          + "'huge' is not a size; use e.g. 1048576, 512k, 512m, 2g").doesNotContain("\tat ");
    }
  }

  @Test
  void aDataDirectoryThatCannotBeUsedIsAConfigurationErrorWithoutAStackTrace() throws Exception {
    Path file = Files.writeString(dataDir.resolve("a-file"), "not a directory");
    try (var server = ServerProcess.launch(List.of(), "--data-dir", file.resolve("data").toString(), "--kubernetes", "off")) {
      assertThat(server.waitForExit()).isEqualTo(2);
      assertThat(server.output()).startsWith("staging-server: configuration error: --data-dir: ")
          .contains("cannot create " + file.resolve("data") + ": Not a directory").doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  void jsonLogsAreOneObjectALineAndCarryTheRequestId() throws Exception {
    try (var server = ServerProcess.start(dataDir, List.of(), "--log-format", "json")) {
      JsonNode receipt = client.upload(server.baseUri(), new byte[100]);
      var download = (HttpURLConnection) URI.create(server.baseUri() + "/api/v1/bundles/" + receipt.get("resourceId").asText()).toURL()
          .openConnection();
      download.setRequestProperty("X-Request-Id", "trace-7");
      download.setRequestProperty("Authorization", "Bearer " + receipt.get("resourceSecret").asText());
      try (InputStream body = download.getInputStream()) {
        body.readAllBytes();
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> server.output().contains("trace-7"));
      var json = new ObjectMapper();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : server.output().split("\n")) {
        lines.add(json.readTree(line));
      }
      assertThat(lines).allSatisfy(line -> assertThat(line.has("level") && line.has("formattedMessage")).as(line.toString()).isTrue());
      assertThat(lines)
          .anySatisfy(line -> assertThat(line.get("formattedMessage").asText()).startsWith("Staging server started: listen http"));
      assertThat(lines).anySatisfy(line -> {
        assertThat(line.get("loggerName").asText()).isEqualTo("access");
        assertThat(line.get("formattedMessage").asText()).contains("200 100").endsWith("trace-7");
      });
      assertThat(server.output()).doesNotContain(receipt.get("resourceSecret").asText());
    }
  }

  private static boolean refusesConnections(int port) {
    try (var socket = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  /** A long deterministic stream, hashed as it is read, so that no test holds gigabytes in memory or on disk. */
  private static final class GeneratedContent extends InputStream {
    private final byte[] block = new byte[1 << 20];
    private final MessageDigest digest = Bundles.sha256();
    private long remaining;
    private int position;
    private String sha256Hex;

    GeneratedContent(long size) {
      new Random(42).nextBytes(block);
      remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(Math.min(length, remaining), block.length - position);
      System.arraycopy(block, position, buffer, offset, n);
      digest.update(block, position, n);
      position = (position + n) % block.length;
      remaining -= n;
      return n;
    }

    /** Valid once the stream has been read to its end. */
    String sha256Hex() {
      if (sha256Hex == null) {
        sha256Hex = HexFormat.of().formatHex(digest.digest());
      }
      return sha256Hex;
    }
  }
}
