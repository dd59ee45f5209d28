package io.sparkstaging.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.ClassLists;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class list from which the server image builds its class-data sharing archive ({@code
 * src/main/cds/staging-server.classlist}, read by the Dockerfile): a training run of the packaged
 * jar with the image's JVM flags, watching a cluster, must load no class of the jar that the list
 * lacks. The run starts from the index a clean stop left, takes a whole bundle, serves it, stages
 * files by digest, answers the probes and metrics, and stops on SIGTERM.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ClassListIT {
  static final Path CLASS_LIST = Path.of("src/main/cds/staging-server.classlist");

  static KubernetesClient cluster;

  @TempDir
  Path dataDir;
  @TempDir
  Path work;

  @Test
  void theImagesClassListHoldsEveryClassOfTheJarThatATrainingRunLoads() throws Exception {
    var client = new JdkClient();
    try (var first = ServerProcess.start(dataDir, List.of(), "--kubernetes", "off")) {
      client.upload(first.baseUri(), new byte[100]);
      first.terminate();
      first.waitForExit();
    }

    Path dumped = work.resolve("dumped.classlist");
    var jvm = new ArrayList<>(List.of("-XX:DumpLoadedClassList=" + dumped));
    jvm.addAll(ClassLists.imageFlags());
    try (var server = ServerProcess.start(dataDir, jvm, "--kubernetes-master", cluster.getConfiguration().getMasterUrl())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> server.output().contains("Watching Spark pods"));
      assertThat(server.output()).contains("Loaded 1 bundle(s)");
      JsonNode whole = client.upload(server.baseUri(), Bundles.random(300_000, 1));
      assertThat(client.downloadSha256(server.baseUri(), whole)).hasSize(64);
      JsonNode byDigest = client.stageByDigest(server.baseUri(), Map.of("app.jar", Bundles.random(100_000, 2)));
      assertThat(client.downloadSha256(server.baseUri(), byDigest)).hasSize(64);
      var http = HttpClient.newHttpClient();
      // As the init-container fetches a bundle staged by digest: its manifest, then a range of its tar.
      URI bundle = URI.create(server.baseUri() + Routes.v1Bundle(byDigest.get("resourceId").asText()));
      String secret = Headers.bearer(byDigest.get("resourceSecret").asText());
      assertThat(
          http.send(HttpRequest.newBuilder(bundle).header(Headers.AUTHORIZATION, secret).header("Accept", Manifest.MEDIA_TYPE).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      assertThat(http.send(HttpRequest.newBuilder(bundle).header(Headers.AUTHORIZATION, secret).header("Range", "bytes=0-99999").build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(206);
      for (String path : List.of("/healthz", "/readyz", "/metrics")) {
        HttpResponse<String> response =
            http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
      }
      server.terminate();
      server.waitForExit();
      assertThat(server.output()).contains("Stopped");
    }

    ClassLists.assertHoldsEveryClassOfTheJar(CLASS_LIST, dumped, ServerProcess.jar(),
        "mvn -B verify -pl staging-server -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClassListIT");
  }
}
