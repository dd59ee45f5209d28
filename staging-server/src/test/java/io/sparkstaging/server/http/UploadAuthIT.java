package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.Response;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With --upload-auth token, uploads need the token; downloads still need only the bundle secret. */
class UploadAuthIT {
  private static final String TOKEN = "upload-token-for-tests";

  @TempDir
  Path dataDir;

  private TestServer start() throws Exception {
    return TestServer.start(dataDir, settings -> settings.uploadAuth =
        new UploadAuthConfig(UploadAuthConfig.Mode.token, Optional.of(TOKEN), Optional.empty()));
  }

  private static Response upload(TestServer server, String authorization) {
    var request = given().header("Bundle-Owner", Bundles.OWNER_JSON).body(new byte[10]);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.post(server.baseUri() + "/api/v1/bundles");
  }

  @Test
  void uploadsNeedTheTokenAndDownloadsOnlyTheSecret() throws Exception {
    try (var server = start()) {
      upload(server, null).then().statusCode(401)
          .header("WWW-Authenticate", equalTo("Bearer realm=\"spark-staging-uploads\", credential=\"upload-token\""))
          .body("error", equalTo("unauthorized"));
      upload(server, "Bearer wrong").then().statusCode(401);

      Response receipt = upload(server, "Bearer " + TOKEN);
      receipt.then().statusCode(201);
      given().multiPart("resources", "b", new byte[10], "multipart/form-data")
          .multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json")
          .header("Authorization", "Bearer " + TOKEN).post(server.baseUri() + "/api/v0/resources").then().statusCode(200);

      given().header("Authorization", receipt.<String>path("resourceSecret"))
          .get(server.baseUri() + "/api/v0/resources/" + receipt.path("resourceId"))
          .then().statusCode(200);
    }
  }

  @Test
  void repeatedFailuresAreRateLimited() throws Exception {
    try (var server = start()) {
      for (int i = 0; i < 10; i++) {
        upload(server, "Bearer guess-" + i).then().statusCode(401);
      }

      upload(server, "Bearer " + TOKEN).then().statusCode(429).header("Retry-After", "60").body("error", equalTo("too_many_requests"));
    }
  }

  @Test
  void wrongTokensFromOneAddressDoNotLockOutAValidTokenAlreadyInUseThere() throws Exception {
    try (var server = start()) {
      upload(server, "Bearer " + TOKEN).then().statusCode(201);
      for (int i = 0; i < 10; i++) {
        upload(server, "Bearer guess-" + i).then().statusCode(401);
      }

      upload(server, "Bearer guess-11").then().statusCode(429);
      upload(server, "Bearer " + TOKEN).then().statusCode(201);
    }
  }
}
