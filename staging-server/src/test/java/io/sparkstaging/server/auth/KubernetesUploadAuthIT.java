package io.sparkstaging.server.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.restassured.response.Response;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --upload-auth kubernetes: TokenReview and SubjectAccessReview answered by fabric8's mock API server. */
@EnableKubernetesMockClient(https = false)
class KubernetesUploadAuthIT {
  private static final String TEAM_A = "{\"ownerNamespace\":\"team-a\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}";
  private static final String TEAM_B = "{\"ownerNamespace\":\"team-b\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path dataDir;
  private final AtomicInteger tokenReviews = new AtomicInteger();

  @BeforeEach
  void apiServer() {
    // Only alice-token authenticates, and alice may create pods in team-a only.
    server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
      tokenReviews.incrementAndGet();
      TokenReview review = JSON.unmarshal(request.getBody().readUtf8(), TokenReview.class);
      boolean alice = "alice-token".equals(review.getSpec().getToken());
      return new TokenReviewBuilder(review).withNewStatus().withAuthenticated(alice)
          .withNewUser().withUsername(alice ? "alice" : null).withGroups(List.of("dev")).endUser().endStatus().build();
    }).always();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, request -> {
      SubjectAccessReview review = JSON.unmarshal(request.getBody().readUtf8(), SubjectAccessReview.class);
      boolean allowed =
          "alice".equals(review.getSpec().getUser()) && "team-a".equals(review.getSpec().getResourceAttributes().getNamespace())
              && "create".equals(review.getSpec().getResourceAttributes().getVerb())
              && "pods".equals(review.getSpec().getResourceAttributes().getResource());
      return new SubjectAccessReviewBuilder(review).withNewStatus().withAllowed(allowed).endStatus().build();
    }).always();
  }

  private TestServer start() throws Exception {
    return TestServer.start(dataDir, settings -> {
      settings.kubernetesMaster = client.getConfiguration().getMasterUrl();
      settings.uploadAuth = new UploadAuthConfig(UploadAuthConfig.Mode.kubernetes, Optional.empty(), Optional.empty());
    });
  }

  private static Response upload(TestServer staging, String owner, String token) {
    var request = given().header("Bundle-Owner", owner).body(new byte[10]);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.post(staging.baseUri() + "/api/v1/bundles");
  }

  @Test
  void aUserWhoMayCreatePodsInTheNamespaceMayUploadForIt() throws Exception {
    try (var staging = start()) {
      upload(staging, TEAM_A, "alice-token").then().statusCode(201);
      upload(staging, TEAM_A, "alice-token").then().statusCode(201);

      assertThat(tokenReviews).as("the decision is cached").hasValue(1);
    }
  }

  @Test
  void otherwiseTheUploadIsRefused() throws Exception {
    try (var staging = start()) {
      upload(staging, TEAM_B, "alice-token").then().statusCode(403).body("error", equalTo("forbidden"))
          .body("message", containsString("team-b"));
      upload(staging, TEAM_A, "mallory-token").then().statusCode(401).body("error", equalTo("unauthorized"));
      upload(staging, TEAM_A, null).then().statusCode(401).header("WWW-Authenticate", containsString("credential=\"kubernetes\""));
      given().multiPart("resources", "b", new byte[10], "multipart/form-data")
          .multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json")
          .header("Authorization", "Bearer alice-token").post(staging.baseUri() + "/api/v0/resources")
          .then().statusCode(401).body("message", containsString("v1 API"));
    }
  }

  @Test
  void stagingByDigestNeedsTheRightToCreatePodsInTheNamespaceAtEveryStep() throws Exception {
    String digest = Bundles.sha256Hex(new byte[10]);
    try (var staging = start()) {
      for (String namespace : List.of("team-a", "team-b")) {
        int expected = namespace.equals("team-a") ? 200 : 403;
        given().header("Authorization", "Bearer alice-token").body("{\"digests\":[\"" + digest + "\"]}")
            .post(staging.baseUri() + Routes.v1MissingBlobs(namespace)).then().statusCode(expected);
        given().header("Authorization", "Bearer alice-token").body(new byte[10]).put(staging.baseUri() + Routes.v1Blob(namespace, digest))
            .then().statusCode(expected == 200 ? 201 : 403);
        given().header("Authorization", "Bearer mallory-token").body("{\"digests\":[]}")
            .post(staging.baseUri() + Routes.v1MissingBlobs(namespace)).then().statusCode(401);
        given().body("{}").post(staging.baseUri() + Routes.v1Manifests(namespace)).then().statusCode(401);
      }
    }
  }
}
