package io.sparkstaging.server.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.server.support.Bundles;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --download-redirect: v1 downloads are sent, once their secret is checked, to a presigned URL on the object store. */
class DownloadRedirectIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  Path dataDir;
  private TestServer server;
  private final byte[] content = Bundles.random(6 << 20, 5);
  private String id;
  private String secret;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dataDir, settings -> settings.s3 = TestStorage.s3(TestStorage.proxy().newBucket(), dataDir,
        Optional.of(Duration.ofMinutes(1))));
    var receipt = new JdkClient().upload(server.baseUri(), content);
    id = receipt.get("resourceId").asText();
    secret = receipt.get("resourceSecret").asText();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : server.baseUri() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aV1DownloadIsRedirectedWithTheDigestAndTheUrlServesTheBytesAndRanges() throws Exception {
    HttpResponse<byte[]> redirect = get("/api/v1/bundles/" + id, "Authorization", "Bearer " + secret);

    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Repr-Digest")).hasValueSatisfying(digest -> assertThat(digest).startsWith("sha-256=:"));
    assertThat(redirect.headers().firstValue("ETag")).contains("\"" + Bundles.sha256Hex(content) + "\"");
    assertThat(redirect.headers().firstValue("Cache-Control")).contains("no-store");
    String location = redirect.headers().firstValue("Location").orElseThrow();

    assertThat(get(location).body()).isEqualTo(content);
    HttpResponse<byte[]> tail = get(location, "Range", "bytes=" + (content.length - 10) + "-");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).hasSize(10);
    // A redirect is a download: the bundle no longer expires as never fetched.
    assertThat(server.store().find(new io.sparkstaging.server.store.BundleId(id)).orElseThrow().firstDownloadedAt()).isPresent();
  }

  @Test
  void aWrongSecretGetsNoUrl() throws Exception {
    HttpResponse<byte[]> refused = get("/api/v1/bundles/" + id, "Authorization", "Bearer wrong");

    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(refused.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void v0DownloadsAndHeadRequestsStreamFromTheServer() throws Exception {
    // The original client would send its secret on to the URL, which S3 refuses; v0 never redirects.
    HttpResponse<byte[]> v0 = get("/api/v0/resources/" + id, "Authorization", secret);
    assertThat(v0.statusCode()).isEqualTo(200);
    assertThat(v0.body()).isEqualTo(content);

    var head = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/v1/bundles/" + id)).header("Authorization", secret)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
  }
}
