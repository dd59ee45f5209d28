package io.sparkstaging.server.store.s3;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.Response;
import io.sparkstaging.server.config.S3Config;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.S3ProxyServer;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.server.support.TestStorage;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the object store goes away, clients get a 503 to retry on, and nothing half-written stays behind. */
class ObjectStoreOutageIT {
  @TempDir
  Path dataDir;

  @Test
  void uploadsDownloadsAndReadinessSayTheStoreIsUnavailable() throws Exception {
    var store = S3ProxyServer.start();
    String bucket = store.newBucket();
    S3Config shared = TestStorage.s3(bucket, dataDir, Optional.empty());
    var own = new S3Config(shared.bucket(), shared.prefix(), Optional.of(store.endpoint()), shared.region(), true, shared.partSize(),
        shared.spoolDir(), Optional.empty(), shared.cleanupLease());
    try (var server = TestServer.start(dataDir, settings -> settings.s3 = own)) {
      Response stored = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(new byte[1000]).post(server.baseUri() + "/api/v1/bundles");
      stored.then().statusCode(201);

      store.close();

      given().header("Bundle-Owner", Bundles.OWNER_JSON).body(Bundles.random(7 << 20, 1)).post(server.baseUri() + "/api/v1/bundles")
          .then().statusCode(503).body("error", equalTo("unavailable"));
      given().header("Authorization", stored.<String>path("resourceSecret"))
          .get(server.baseUri() + "/api/v1/bundles/" + stored.path("resourceId"))
          .then().statusCode(503).body("error", equalTo("unavailable"));
      given().get(server.baseUri() + "/readyz").then().statusCode(503);
      given().get(server.baseUri() + "/healthz").then().statusCode(200);
      assertThat(TestStorage.spooledParts(own.spoolDir())).isZero();
    }
  }
}
