package io.sparkstaging.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkstaging.init.support.InitHarness;
import io.sparkstaging.init.support.Tars;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.server.support.TestStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A staging server on S3 that redirects downloads to presigned URLs: the init-container follows, without its secret. */
class PresignedRedirectIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path pod;

  @Test
  void theInitContainerFetchesFromTheObjectStoreAndVerifiesWhatTheServerVouchedFor() throws Exception {
    String bucket = TestStorage.proxy().newBucket();
    try (var server =
        TestServer.start(dataDir, settings -> settings.s3 = TestStorage.s3(bucket, dataDir, Optional.of(Duration.ofMinutes(5))))) {
      // Over one 5 MiB part: the bundle goes up as a multipart upload.
      String library = "class files ".repeat(700_000);
      JsonNode jars = new JdkClient().upload(server.baseUri(), Tars.plainOf("app.jar", "application", "lib.jar", library));
      String id = jars.get("resourceId").asText();
      String secret = jars.get("resourceSecret").asText();

      // The server answers with a redirect; S3 refuses a request with both a presigned URL and an Authorization header.
      HttpResponse<Void> redirect =
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/v1/bundles/" + id))
              .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(redirect.statusCode()).isEqualTo(307);
      assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
          .startsWith(TestStorage.proxy().endpoint().toString()).doesNotContain(secret));

      var harness = new InitHarness(pod).stagedJars(server.baseUri(), id, secret);
      double redirectsBefore = downloads(server, "/api/v1/bundles/{id}", "307");
      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      // The pod's bytes came from the object store: the staging server answered it with a redirect, and streamed nothing.
      assertThat(downloads(server, "/api/v1/bundles/{id}", "307") - redirectsBefore).isEqualTo(1);
      assertThat(downloads(server, "/api/v1/bundles/{id}", "200")).isZero();
      assertThat(downloads(server, "/api/v0/resources/{id}", "200")).isZero();
      assertThat(harness.jarsDir().resolve("app.jar")).hasContent("application");
      assertThat(harness.jarsDir().resolve("lib.jar")).hasContent(library);
    }
  }

  @Test
  void eachFileOfABundleStagedByDigestComesFromTheObjectStoreVerifiedAgainstTheManifest() throws Exception {
    String bucket = TestStorage.proxy().newBucket();
    try (var server =
        TestServer.start(dataDir, settings -> settings.s3 = TestStorage.s3(bucket, dataDir, Optional.of(Duration.ofMinutes(5))))) {
      var files = new java.util.LinkedHashMap<String, byte[]>();
      files.put("app.jar", "application".getBytes());
      files.put("lib.jar", "class files ".repeat(100_000).getBytes());
      JsonNode receipt = new JdkClient().stageByDigest(server.baseUri(), files);
      var harness = new InitHarness(pod).stagedJars(server.baseUri(), receipt.get("resourceId").asText(),
          receipt.get("resourceSecret").asText());

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(harness.jarsDir().resolve("app.jar")).hasContent("application");
      assertThat(harness.jarsDir().resolve("lib.jar")).hasContent("class files ".repeat(100_000));
      // The manifest came from the staging server; every file's bytes from the object store.
      assertThat(downloads(server, "/api/v1/bundles/{id}", "200")).isEqualTo(1);
      assertThat(downloads(server, "/api/v1/bundles/{id}/blobs/{sha256}", "307")).isEqualTo(2);
      assertThat(downloads(server, "/api/v1/bundles/{id}/blobs/{sha256}", "200")).isZero();
    }
  }

  /** GETs the server answered on {@code route} with {@code status}, from its request metrics. */
  private static double downloads(TestServer server, String route, String status) throws Exception {
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(line -> line.startsWith("jetty_server_requests_seconds_count{") && line.contains("method=\"GET\"")
        && line.contains("route=\"" + route + "\"") && line.contains("status=\"" + status + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
