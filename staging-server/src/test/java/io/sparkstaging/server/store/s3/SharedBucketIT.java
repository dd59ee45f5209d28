package io.sparkstaging.server.store.s3;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.restassured.response.Response;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.S3ProxyServer;
import io.sparkstaging.server.support.ServerProcess;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.server.support.TestSettings;
import io.sparkstaging.server.support.TestStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Several servers on one bucket: any of them serves and deletes any bundle, a crashed one leaves
 * nothing visible behind, and cleanup runs on one of them (elected on fabric8's mock API server).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class SharedBucketIT {
  KubernetesClient cluster;
  private final String bucket = TestStorage.proxy().newBucket();
  @TempDir
  Path first;
  @TempDir
  Path second;

  private TestServer serverOn(Path dir) throws Exception {
    return TestServer.start(dir, settings -> {
      settings.s3 = TestStorage.s3(bucket, dir, Optional.empty());
      settings.cleanupInterval = Duration.ofMillis(500);
    });
  }

  @Test
  void aBundleUploadedThroughOneServerIsServedAndDeletedThroughAnother() throws Exception {
    byte[] content = Bundles.random(12 << 20, 7);
    try (var one = serverOn(first); var other = serverOn(second)) {
      Response receipt = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(content).post(one.baseUri() + "/api/v1/bundles");
      receipt.then().statusCode(201);
      String id = receipt.path("resourceId");
      String secret = receipt.path("resourceSecret");

      byte[] served = given().header("Authorization", "Bearer " + secret).get(other.baseUri() + "/api/v1/bundles/" + id)
          .then().statusCode(200).extract().asByteArray();
      assertThat(Bundles.sha256Hex(served)).isEqualTo(Bundles.sha256Hex(content));
      // The other server's listing, which quotas and metrics use, catches up within its refresh interval.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(other.baseUri() + "/metrics")
          .then().body(containsString("staging_bundles_stored 1.0")));

      given().header("Authorization", "Bearer " + secret).delete(other.baseUri() + "/api/v1/bundles/" + id).then().statusCode(204);
      given().header("Authorization", "Bearer " + secret).get(one.baseUri() + "/api/v1/bundles/" + id).then().statusCode(404);
      given().header("Authorization", "Bearer " + secret).delete(one.baseUri() + "/api/v1/bundles/" + id).then().statusCode(404);
      assertThat(one.storedObjects()).isZero();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(one.baseUri() + "/metrics")
          .then().body(containsString("staging_bundles_stored 0.0")));
    }
  }

  @Test
  void aDownloadThroughAServerThatHasNotListedTheBundleYetIsRecorded() throws Exception {
    // The default cleanup interval: the servers list the bucket every 10 s, long after this download.
    try (var one = TestServer.start(first, settings -> settings.s3 = TestStorage.s3(bucket, first, Optional.empty()));
        var other = TestServer.start(second, settings -> settings.s3 = TestStorage.s3(bucket, second, Optional.empty()))) {
      Response receipt = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(new byte[100]).post(one.baseUri() + "/api/v1/bundles");
      String id = receipt.path("resourceId");

      given().header("Authorization", receipt.<String>path("resourceSecret")).get(other.baseUri() + "/api/v1/bundles/" + id)
          .then().statusCode(200);

      // Otherwise the bundle would expire as never downloaded while its pods use it.
      assertThat(
          TestStorage.client().listObjectsV2(list -> list.bucket(bucket).prefix(TestStorage.PREFIX + "bundles/" + id + "/downloaded/"))
              .contents())
          .hasSize(1);
      assertThat(other.store().list()).singleElement().satisfies(record -> assertThat(record.firstDownloadedAt()).isPresent());
    }
  }

  @Test
  void cleanupRunsOnOneServerOnly() throws Exception {
    Consumer<TestSettings> expiring = settings -> {
      settings.initialAccessExpiration = Duration.ofSeconds(1);
      settings.cleanupInterval = Duration.ofMillis(200);
      settings.kubernetesMaster = cluster.getConfiguration().getMasterUrl();
    };
    try (var one = TestServer.start(first, settings -> {
      settings.s3 = TestStorage.s3(bucket, first, Optional.empty());
      expiring.accept(settings);
    });
        var other = TestServer.start(second, settings -> {
          settings.s3 = TestStorage.s3(bucket, second, Optional.empty());
          expiring.accept(settings);
        })) {
      for (int i = 0; i < 3; i++) {
        given().header("Bundle-Owner", Bundles.OWNER_JSON).body(new byte[100])
            .post((i % 2 == 0 ? one : other).baseUri() + "/api/v1/bundles")
            .then().statusCode(201);
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> one.storedObjects() == 0);
      // Each bundle was deleted once, all by the server holding the lease.
      assertThat(List.of(deletions(one), deletions(other))).containsExactlyInAnyOrder(3.0, 0.0);
    }
  }

  private static double deletions(TestServer server) {
    String metrics = given().get(server.baseUri() + "/metrics").asString();
    // Whatever the reason: in the empty mock cluster their namespace is gone, which may come first.
    Matcher line = Pattern.compile("(?m)^staging_bundles_deleted_total\\{reason=\"[a-z_]+\"\\} (\\S+)$").matcher(metrics);
    double total = 0;
    while (line.find()) {
      total += Double.parseDouble(line.group(1));
    }
    return total;
  }

  @Test
  void aServerKilledMidUploadLeavesNothingVisibleAndTheOtherKeepsServing() throws Exception {
    byte[] content = Bundles.random(1 << 20, 3);
    try (var survivor = serverOn(second);
        var doomed = ServerProcess.start(first, List.of("-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY,
            "-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY),
            "--storage", "s3://" + bucket + "/" + TestStorage.PREFIX, "--s3-endpoint", TestStorage.proxy().endpoint().toString(),
            "--s3-path-style", "--s3-part-size", "5m", "--s3-spool-dir", Files.createDirectories(first.resolve("spool")).toString(),
            "--kubernetes", "off")) {
      Response kept = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(content).post(survivor.baseUri() + "/api/v1/bundles");
      kept.then().statusCode(201);

      try (var http = new RawHttp(doomed.port())) {
        http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON + "\nContent-Length: "
            + (64 << 20) + "\n\n");
        http.body().write(new byte[12 << 20]);
        http.body().flush();
        // Two parts sent: the multipart upload exists in the bucket when the server dies.
        await().atMost(Duration.ofSeconds(20)).until(() -> multipartUploads() > 0);
        doomed.kill();
      }

      assertThat(keysOutside(kept.path("resourceId"))).isEmpty();
      assertThat(survivor.store().list()).hasSize(1);
      byte[] served = given().header("Authorization", kept.<String>path("resourceSecret"))
          .get(survivor.baseUri() + "/api/v1/bundles/" + kept.path("resourceId")).then().statusCode(200).extract().asByteArray();
      assertThat(served).isEqualTo(content);

      // The abandoned multipart upload is aborted by cleanup once it is old enough (or by the bucket's lifecycle rule).
      survivor.store().removeLeftovers(Instant.now().plus(LeftoverSweeper.ABANDONED_UPLOAD_AGE).plusSeconds(60));
      assertThat(multipartUploads()).isZero();
      assertThat(survivor.store().list()).hasSize(1);
    }
    // The dead server's spooled parts are removed by the next server to start on the same disk.
    assertThat(TestStorage.spooledParts(first.resolve("spool"))).isPositive();
    try (var restarted = serverOn(first)) {
      assertThat(TestStorage.spooledParts(first.resolve("spool"))).isZero();
    }
  }

  private int multipartUploads() {
    return TestStorage.client().listMultipartUploads(list -> list.bucket(bucket)).uploads().size();
  }

  private List<String> keysOutside(String bundleId) {
    // Under the server's prefix: S3Proxy keeps the parts of multipart uploads as objects of its own elsewhere.
    return TestStorage.client().listObjectsV2Paginator(list -> list.bucket(bucket).prefix(TestStorage.PREFIX)).contents().stream()
        .map(S3Object::key)
        .filter(key -> !key.startsWith(TestStorage.PREFIX + "bundles/" + bundleId + "/")).toList();
  }
}
