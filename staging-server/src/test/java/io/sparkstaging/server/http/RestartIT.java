package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server stopped and started again serves every bundle it had, with the same secrets. */
class RestartIT {
  @TempDir
  Path dataDir;

  @Test
  void bundlesAndSecretsSurviveARestart() throws Exception {
    byte[] content = Bundles.random(200_000, 1);
    Response receipt;
    try (var first = TestServer.start(dataDir)) {
      receipt = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(content).post(first.baseUri() + "/api/v1/bundles");
      receipt.then().statusCode(201);
    }

    try (var second = TestServer.start(dataDir)) {
      byte[] downloaded = given().header("Authorization", receipt.<String>path("resourceSecret"))
          .get(second.baseUri() + "/api/v0/resources/" + receipt.path("resourceId"))
          .then().statusCode(200).extract().asByteArray();
      assertThat(downloaded).isEqualTo(content);
    }
  }
}
