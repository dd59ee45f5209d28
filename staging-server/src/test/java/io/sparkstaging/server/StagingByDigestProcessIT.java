package io.sparkstaging.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while manifests are committed and the sweep removes blobs every few milliseconds, with no
 * grace period: after a restart, every bundle whose commit was answered has all its files, and the
 * next sweep leaves no blob that no bundle lists.
 */
class StagingByDigestProcessIT {
  private static final int FILES = 12;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAMESPACE = "spark-jobs";

  @TempDir
  Path dataDir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final byte[][] contents = new byte[FILES][];

  @Test
  void killMinusNineDuringCommitsAndSweepsLosesNoListedBlobAndLeavesNoUnlistedOneForever() throws Exception {
    for (int i = 0; i < FILES; i++) {
      contents[i] = Bundles.random(20_000 + i, i);
    }
    Map<String, List<Integer>> committed = new ConcurrentHashMap<>();
    try (var server = ServerProcess.start(dataDir, List.of(), "--cleanup-interval", "20ms", "--blob-grace", "0s")) {
      String base = server.baseUri();
      var failure = new AtomicReference<Throwable>();
      Thread load = new Thread(() -> commitUntilBroken(base, committed), "commits");
      load.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
      load.start();
      Thread.sleep(2500);
      // Whatever is under way now, a commit, a deletion or a sweep, dies with the process.
      server.kill();
      load.join();
      assertThat(failure.get()).isNull();
    }
    assertThat(committed).isNotEmpty();

    try (var restarted = ServerProcess.start(dataDir, List.of(), "--cleanup-interval", "1h")) {
      for (var bundle : committed.entrySet()) {
        String[] idAndSecret = bundle.getKey().split(" ");
        for (int file : bundle.getValue()) {
          HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(restarted.baseUri()
              + Routes.v1BundleBlob(idAndSecret[0], Bundles.sha256Hex(contents[file])))).header("Authorization", "Bearer " + idAndSecret[1])
              .build(), HttpResponse.BodyHandlers.ofByteArray());
          assertThat(got.statusCode()).as("bundle %s, file %d", idAndSecret[0], file).isEqualTo(200);
          assertThat(got.body()).isEqualTo(contents[file]);
        }
      }
    }

    // A bundle deleted just before the kill may still be listed (its delete not answered): a sweep keeps exactly what the survivors list.
    try (var sweeping = ServerProcess.start(dataDir, List.of(), "--cleanup-interval", "20ms", "--blob-grace", "0s")) {
      Thread.sleep(500);
      Set<String> listed = new HashSet<>();
      try (Stream<Path> manifests = Files.walk(dataDir.resolve("bundles"))) {
        for (Path manifest : manifests.filter(path -> path.getFileName().toString().equals("manifest.json")).toList()) {
          JSON.readTree(manifest.toFile()).get("files").forEach(file -> listed.add(file.get("sha256").asText()));
        }
      }
      assertThat(blobsOnDisk()).isEqualTo(listed);
    }
  }

  /** Uploads, commits and sometimes deletes random manifests until the server is gone; records each commit answered. */
  private void commitUntilBroken(String base, Map<String, List<Integer>> committed) {
    var random = new Random(7);
    try {
      while (true) {
        List<Integer> chosen = random.ints(0, FILES).distinct().limit(1 + random.nextInt(4)).boxed().toList();
        for (int file : chosen) {
          put(base, file);
        }
        HttpResponse<String> answer = commit(base, chosen);
        if (answer.statusCode() == 201) {
          JsonNode receipt = JSON.readTree(answer.body());
          String key = receipt.get("resourceId").asText() + " " + receipt.get("resourceSecret").asText();
          if (random.nextInt(3) == 0) {
            delete(base, receipt);
          } else {
            committed.put(key, chosen);
          }
        } else {
          // Swept between upload and commit: the documented refusal, nothing committed.
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
        }
      }
    } catch (IOException | InterruptedException serverGone) {
      // The kill.
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Set<String> blobsOnDisk() throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
      return files.map(path -> path.getFileName().toString()).filter(name -> name.matches("[0-9a-f]{64}")).collect(Collectors.toSet());
    }
  }

  private void put(String base, int file) throws Exception {
    HttpResponse<String> answer =
        http.send(HttpRequest.newBuilder(URI.create(base + Routes.v1Blob(NAMESPACE, Bundles.sha256Hex(contents[file]))))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(contents[file])).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
  }

  private HttpResponse<String> commit(String base, List<Integer> chosen) throws Exception {
    List<ManifestFile> files = new ArrayList<>();
    for (int file : chosen) {
      files.add(new ManifestFile("f" + file + ".jar", Bundles.sha256Hex(contents[file]), contents[file].length, 0644));
    }
    String body = "{\"owner\":" + Bundles.OWNER_JSON + ",\"files\":" + JSON.writeValueAsString(files) + "}";
    return http
        .send(HttpRequest.newBuilder(URI.create(base + Routes.v1Manifests(NAMESPACE))).POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
  }

  private void delete(String base, JsonNode receipt) throws Exception {
    HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(base + Routes.v1Bundle(receipt.get("resourceId").asText())))
        .header("Authorization", "Bearer " + receipt.get("resourceSecret").asText()).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(answer.statusCode()).isEqualTo(204);
  }
}
