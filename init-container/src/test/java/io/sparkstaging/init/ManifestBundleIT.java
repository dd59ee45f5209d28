package io.sparkstaging.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkstaging.init.run.InitRun;
import io.sparkstaging.init.support.InitHarness;
import io.sparkstaging.server.support.AccessLogCapture;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle staged by digest: the init-container reads its manifest and fetches its files as ranges
 * of the bundle's tar, or one by one where the tar is not laid out as the manifest says, each
 * verified against the manifest.
 */
class ManifestBundleIT {
  private static final byte[] APP = Bundles.random(300_000, 1);
  private static final byte[] SCRIPT = "#!/bin/sh\necho hi\n".getBytes();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;
  @TempDir
  Path pod;
  @RegisterExtension
  AccessLogCapture accessLog = new AccessLogCapture();

  private static Map<String, byte[]> files() {
    var files = new LinkedHashMap<String, byte[]>();
    files.put("app.jar", APP);
    files.put("run.sh", SCRIPT);
    return files;
  }

  private static void assertPlaced(InitHarness.Result result, InitHarness harness) {
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(harness.jarsDir().resolve("app.jar")).hasBinaryContent(APP);
    assertThat(harness.jarsDir().resolve("run.sh")).hasBinaryContent(SCRIPT).isExecutable();
  }

  @Test
  void theFilesComeAsRangesOfTheBundlesTarOnePerPairOfCoresAndNoneOnItsOwn() throws Exception {
    try (var server = TestServer.start(dataDir)) {
      JsonNode receipt = new JdkClient().stageByDigest(server.baseUri(), files());
      var harness = new InitHarness(pod).stagedJars(server.baseUri(), receipt.get("resourceId").asText(),
          receipt.get("resourceSecret").asText());

      InitHarness.Result result = harness.run();

      assertPlaced(result, harness);
      assertThat(result.out()).contains("2 file(s), " + (APP.length + SCRIPT.length) + " bytes");
      // The bundle's route answered the manifest, a few hundred bytes, then a range per share.
      List<String> downloads = downloads();
      int shares = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2));
      assertThat(downloads).hasSize(1 + shares).noneMatch(line -> line.contains("/blobs/"));
      assertThat(downloads.get(0)).containsPattern("\" 200 \\d{3} ");
      assertThat(downloads.subList(1, downloads.size())).allMatch(line -> line.contains("\" 206 "));
    }
  }

  /** As for a bundle committed by a server before ranges were asked for: its tar's headers carry a fraction of a second. */
  @Test
  void aTarLaidOutOtherwiseThanTheManifestSaysIsNotUsedAndEachFileComesOnItsOwn() throws Exception {
    JsonNode receipt;
    try (var server = TestServer.start(dataDir)) {
      receipt = new JdkClient().stageByDigest(server.baseUri(), files());
    }
    Path metadata = dataDir.resolve("bundles").resolve(receipt.get("resourceId").asText()).resolve("bundle.json");
    var json = (ObjectNode) JSON.readTree(metadata.toFile());
    // A pax record for the time, 1024 bytes, before each file's header.
    json.put("createdAt", Instant.parse(json.get("createdAt").asText()).plusMillis(500).toString());
    json.put("size", json.get("size").asLong() + 1024L * files().size());
    JSON.writeValue(metadata.toFile(), json);
    Files.delete(dataDir.resolve("index.snapshot"));
    try (var server = TestServer.start(dataDir)) {
      var harness = new InitHarness(pod).stagedJars(server.baseUri(), receipt.get("resourceId").asText(),
          receipt.get("resourceSecret").asText());

      InitHarness.Result result = harness.run();

      assertPlaced(result, harness);
      assertThat(downloads()).filteredOn(line -> line.contains("/blobs/")).hasSize(2).allMatch(line -> line.contains("\" 200 "));
    }
  }

  private List<String> downloads() {
    return accessLog.lines().stream().filter(line -> line.contains("\"GET /api/v1/bundles/")).toList();
  }

  @Test
  void aFileWhoseBytesAreNotTheManifestsIsRefusedAndNothingIsPlaced() throws Exception {
    try (var server = TestServer.start(dataDir)) {
      JsonNode receipt = new JdkClient().stageByDigest(server.baseUri(), files());
      // The disk rots under the server: same length, other bytes.
      try (Stream<Path> blobs = Files.walk(dataDir.resolve("blobs"))) {
        Path stored = blobs.filter(path -> path.getFileName().toString().equals(Bundles.sha256Hex(APP))).findFirst().orElseThrow();
        byte[] rotten = APP.clone();
        rotten[1000] ^= 1;
        Files.write(stored, rotten);
      }
      var harness = new InitHarness(pod).stagedJars(server.baseUri(), receipt.get("resourceId").asText(),
          receipt.get("resourceSecret").asText());

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isEqualTo(InitRun.REJECTED);
      assertThat(result.firstErrorLine()).contains("file 'app.jar'").contains("SHA-256");
      assertThat(harness.targetContents()).isEmpty();
    }
  }
}
