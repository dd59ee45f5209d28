package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.support.TestServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document is valid and describes exactly the routes the server answers. */
class OpenApiIT {
  private static final String UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path dataDir;

  /** Clients act on the codes, so the document and the README must list every one the contract has. */
  @Test
  void everyErrorCodeIsDocumentedWithItsStatus() throws Exception {
    try (var server = TestServer.start(dataDir)) {
      String yaml = given().get(server.baseUri() + "/api/v1/openapi.yaml").then().statusCode(200).extract().asString();
      Schema<?> error = new OpenAPIV3Parser().readContents(yaml).getOpenAPI().getComponents().getSchemas().get("Error");
      String codes = ((Schema<?>) error.getProperties().get("error")).getDescription();
      String readme = Files.readString(Path.of("..", "README.md"));

      for (Problem problem : Problem.values()) {
        assertThat(codes).as("the OpenAPI Error schema").containsPattern("\\b" + problem.code() + "\\b");
        assertThat(readme).as("README's table of errors").contains("| " + problem.status() + " | `" + problem.code() + "` |");
      }
    }
  }

  @Test
  void theDocumentIsValidAndEveryOperationInItIsRouted() throws Exception {
    try (var server = TestServer.start(dataDir)) {
      String yaml = given().get(server.baseUri() + "/api/v1/openapi.yaml").then().statusCode(200).extract().asString();
      SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml);
      assertThat(parsed.getMessages()).isEmpty();
      OpenAPI api = parsed.getOpenAPI();

      assertThat(api.getPaths()).containsOnlyKeys("/api/v1/bundles", "/api/v1/bundles/{id}", "/api/v1/bundles/{id}/blobs/{sha256}",
          "/api/v1/namespaces/{namespace}/blobs/missing", "/api/v1/namespaces/{namespace}/blobs/{sha256}",
          "/api/v1/namespaces/{namespace}/manifests", "/api/v1/openapi.yaml",
          "/api/v0/resources", "/api/v0/resources/{id}", "/api/v0/ping", "/healthz", "/readyz", "/metrics");
      for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
        for (PathItem.HttpMethod method : path.getValue().readOperationsMap().keySet()) {
          String url = server.baseUri()
              + path.getKey().replace("{id}", UNKNOWN_ID).replace("{namespace}", "spark-jobs").replace("{sha256}", "0".repeat(64));
          Response response = given().request(method.name(), url);
          // Unknown id or missing body: a refusal from the route itself, never "no such route".
          assertThat(response.statusCode()).as(method + " " + path.getKey()).isNotIn(405, 415);
          if (response.statusCode() == 404 && method != PathItem.HttpMethod.HEAD) {
            assertThat(response.asString()).as(method + " " + path.getKey()).contains("no bundle with this id");
          }
        }
      }
    }
  }
}
