package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.support.AccessLogCapture;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees: /metrics, request ids, and the access log. */
class ObservabilityIT {
  private static final String TOKEN = "team-token";
  private static final Path DASHBOARD = Path.of("..", "k8s-manifests", "grafana", "spark-staging-dashboard.json");
  private static final Pattern METRIC = Pattern.compile("\\b(?:staging|jetty|jvm|process)_[a-z_]+");

  @TempDir
  Path dataDir;
  @RegisterExtension
  final AccessLogCapture accessLog = new AccessLogCapture();

  private TestServer start() throws Exception {
    return TestServer.start(dataDir,
        settings -> settings.uploadAuth = new UploadAuthConfig(UploadAuthConfig.Mode.token, Optional.of(TOKEN), Optional.empty()));
  }

  private static Response upload(TestServer server, String token) {
    return given().header("Bundle-Owner", Bundles.OWNER_JSON).header("Authorization", "Bearer " + token).body(new byte[1000])
        .post(server.baseUri() + "/api/v1/bundles");
  }

  @Test
  void metricsCoverRequestsByRouteStorageByNamespaceAuthFailuresTheJvmAndJetty() throws Exception {
    try (var server = start()) {
      Response receipt = upload(server, TOKEN);
      upload(server, "wrong").then().statusCode(401);
      given().header("Authorization", "Bearer " + receipt.path("resourceSecret"))
          .get(server.baseUri() + "/api/v1/bundles/" + receipt.path("resourceId"))
          .then().statusCode(200);

      // A request's timing is recorded when it completes, just after the client has its answer.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(given().get(server.baseUri() + "/metrics").asString())
          .contains(
              "jetty_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",route=\"/api/v1/bundles/{id}\",status=\"200\"} 1")
          .contains("jetty_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",route=\"/api/v1/bundles\",status=\"201\"} 1")
          .contains(
              "jetty_server_requests_seconds_count{method=\"POST\",outcome=\"CLIENT_ERROR\",route=\"/api/v1/bundles\",status=\"401\"} 1"));
      String metrics = given().get(server.baseUri() + "/metrics").asString();
      assertThat(metrics)
          .contains("staging_namespace_bundles_stored{owner_namespace=\"spark-jobs\"} 1.0")
          .contains("staging_namespace_bundles_stored_bytes{owner_namespace=\"spark-jobs\"} 1000.0")
          .contains("staging_upload_auth_failures_total{reason=\"unauthorized\"} 1.0")
          .contains("staging_uploads_in_flight 0.0")
          .contains("jvm_memory_used_bytes")
          .contains("jetty_threads_busy")
          .contains("jetty_connections_bytes_in_bytes")
          .doesNotContain(receipt.<String>path("resourceId"));
    }
  }

  @Test
  void everyMetricTheGrafanaDashboardQueriesIsExported() throws Exception {
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher metric = METRIC.matcher(target.get("expr").asText());
        while (metric.find()) {
          queried.add(metric.group());
        }
      }
    }
    try (var server = TestServer.start(dataDir, settings -> {
      settings.uploadAuth = new UploadAuthConfig(UploadAuthConfig.Mode.token, Optional.of(TOKEN), Optional.empty());
      settings.initialAccessExpiration = Duration.ofSeconds(2);
      settings.cleanupInterval = Duration.ofMillis(100);
    })) {
      // Some series exist only after their first event (a refused upload, a deletion) or while a
      // bundle is stored (per namespace), so two scrapes cover them: one before the bundle expires,
      // one after.
      upload(server, "wrong");
      Response receipt = upload(server, TOKEN);
      String whileStored = given().get(server.baseUri() + "/metrics").asString();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.store().list().isEmpty());

      String metrics = whileStored + given().get(server.baseUri() + "/metrics").asString();
      assertThat(queried).hasSizeGreaterThan(10).allSatisfy(name -> assertThat(metrics).as(name).containsPattern("(?m)^" + name + "[{ ]"));
      assertThat(receipt.statusCode()).isEqualTo(201);
    }
  }

  @Test
  void everyRequestHasAnIdInItsAnswerAndItsAccessLineAndNoSecretIsLogged() throws Exception {
    try (var server = start()) {
      Response receipt = upload(server, TOKEN);
      String secret = receipt.path("resourceSecret");
      Response download = given().header("Authorization", "Bearer " + secret).header("X-Request-Id", "ingress-42")
          .get(server.baseUri() + "/api/v1/bundles/" + receipt.path("resourceId"));
      Response forged = given().header("X-Request-Id", "a b\nc").get(server.baseUri() + "/healthz");
      // A client that puts its secret in the URL: the server ignores it there, and must not log it either.
      given().urlEncodingEnabled(false).get(server.baseUri() + "/api/v1/bundles/" + receipt.path("resourceId") + "?secret=" + secret);

      assertThat(receipt.header("X-Request-Id")).matches("[0-9a-f]{16}");
      assertThat(download.header("X-Request-Id")).isEqualTo("ingress-42");
      assertThat(forged.header("X-Request-Id")).as("replaced, not echoed").matches("[0-9a-f]{16}");
      await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.size() >= 4);
      List<String> lines = accessLog.lines();
      assertThat(lines)
          .anySatisfy(line -> assertThat(line).contains("\"GET /api/v1/bundles/" + receipt.path("resourceId") + " HTTP/1.1\" 200 1000")
              .endsWith("ingress-42"));
      assertThat(lines)
          .anySatisfy(line -> assertThat(line).contains("\"POST /api/v1/bundles HTTP/1.1\" 201").endsWith(receipt.header("X-Request-Id")));
      assertThat(lines)
          .anySatisfy(line -> assertThat(line).contains("\"GET /api/v1/bundles/" + receipt.path("resourceId") + "?… HTTP/1.1\" 404"));
      assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(secret).doesNotContain(TOKEN));
    }
  }
}
