package io.sparkstaging.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkstaging.init.run.InitRun;
import io.sparkstaging.init.support.InitHarness;
import io.sparkstaging.server.support.AccessLogCapture;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A bundle staged by digest: the init-container reads its manifest and fetches each file on its own, verified. */
class ManifestBundleIT {
  private static final byte[] APP = Bundles.random(300_000, 1);
  private static final byte[] SCRIPT = "#!/bin/sh\necho hi\n".getBytes();

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

  @Test
  void eachFileComesOnItsOwnAndNoTarIsSent() throws Exception {
    try (var server = TestServer.start(dataDir)) {
      JsonNode receipt = new JdkClient().stageByDigest(server.baseUri(), files());
      var harness = new InitHarness(pod).stagedJars(server.baseUri(), receipt.get("resourceId").asText(),
          receipt.get("resourceSecret").asText());

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(harness.jarsDir().resolve("app.jar")).hasBinaryContent(APP);
      assertThat(harness.jarsDir().resolve("run.sh")).hasBinaryContent(SCRIPT).isExecutable();
      assertThat(result.out()).contains("2 file(s), " + (APP.length + SCRIPT.length) + " bytes");
      // The bundle's route answered the manifest, a few hundred bytes; the files came by their own route.
      List<String> downloads = accessLog.lines().stream().filter(line -> line.contains("\"GET /api/v1/bundles/")).toList();
      assertThat(downloads).hasSize(3);
      assertThat(downloads).filteredOn(line -> line.contains("/blobs/")).hasSize(2);
      assertThat(downloads).filteredOn(line -> !line.contains("/blobs/")).singleElement().asString().containsPattern("\" 200 \\d{3} ");
    }
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
