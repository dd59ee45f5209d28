package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original apache-spark-on-k8s wire protocol, as its retrofit client and init-container speak it. */
class V0ApiIT {
  private static final long MAX_BUNDLE = 1 << 20;

  @TempDir
  Path dataDir;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dataDir, settings -> settings.maxBundleSize = MAX_BUNDLE);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void theOriginalClientsExactRequestRoundTrips() throws Exception {
    byte[] bundle = Bundles.random(200_000, 1);
    String boundary = UUID.randomUUID().toString();
    // Byte for byte what retrofit's @Multipart with two @Part RequestBody parameters sends through
    // okhttp: the bundle part is labelled multipart/form-data, and the path ends in a slash.
    var body = new ByteArrayOutputStream();
    writePart(body, boundary, "resources", "multipart/form-data", bundle);
    writePart(body, boundary, "resourcesOwner", "application/json; charset=utf-8", Bundles.OWNER_JSON.getBytes(StandardCharsets.UTF_8));
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));

    HttpResponse<String> upload = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/v0/resources/"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(upload.statusCode()).isEqualTo(200);
    Map<String, Object> receipt = new com.fasterxml.jackson.databind.ObjectMapper().readValue(upload.body(), Map.class);
    // The original client's mapper fails on unknown fields: exactly these two, nothing more.
    assertThat(receipt).containsOnlyKeys("resourceId", "resourceSecret");

    byte[] downloaded = given().header("Authorization", receipt.get("resourceSecret"))
        .get(server.baseUri() + "/api/v0/resources/" + receipt.get("resourceId"))
        .then().statusCode(200).contentType("application/octet-stream").extract().asByteArray();
    assertThat(downloaded).isEqualTo(bundle);
  }

  private static void writePart(ByteArrayOutputStream out, String boundary, String name, String type, byte[] content) throws IOException {
    out.write(("--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"" + name + "\"\r\n"
        + "Content-Transfer-Encoding: binary\r\n"
        + "Content-Type: " + type + "\r\n"
        + "Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(content);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void anEmptyBundleRoundTrips() {
    Response receipt = upload(new byte[0], Bundles.OWNER_JSON);
    receipt.then().statusCode(200);

    byte[] downloaded = download(receipt).then().statusCode(200).header("Content-Length", "0").extract().asByteArray();
    assertThat(downloaded).isEmpty();
  }

  @Test
  void theOwnerPartMayComeFirst() {
    byte[] bundle = Bundles.random(1000, 2);
    Response receipt = given().multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json")
        .multiPart("resources", "bundle.tgz", bundle, "application/gzip")
        .post(server.baseUri() + "/api/v0/resources");

    assertThat(download(receipt).then().statusCode(200).extract().asByteArray()).isEqualTo(bundle);
  }

  @Test
  void bearerAuthorizationIsAcceptedToo() {
    Response receipt = upload(Bundles.random(10, 3), Bundles.OWNER_JSON);

    given().header("Authorization", "Bearer " + receipt.path("resourceSecret"))
        .get(server.baseUri() + "/api/v0/resources/" + receipt.path("resourceId"))
        .then().statusCode(200);
  }

  @Test
  void pingAnswersPong() {
    given().get(server.baseUri() + "/api/v0/ping").then().statusCode(200).body(equalTo("pong"));
  }

  @Test
  void aMissingPartIsNamed() throws IOException {
    given().multiPart("resources", "b", new byte[10], "application/octet-stream")
        .post(server.baseUri() + "/api/v0/resources")
        .then().statusCode(400).body("error", equalTo("bad_request")).body("message", equalTo("missing part 'resourcesOwner'"));
    given().multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json")
        .post(server.baseUri() + "/api/v0/resources")
        .then().statusCode(400).body("message", equalTo("missing part 'resources'"));
    assertNothingStored();
  }

  @Test
  void anUnexpectedOrRepeatedPartIsRefused() throws IOException {
    given().multiPart("resources", "b", new byte[10], "application/octet-stream")
        .multiPart("resources", "c", new byte[10], "application/octet-stream")
        .multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json")
        .post(server.baseUri() + "/api/v0/resources")
        .then().statusCode(400).body("message", startsWith("unexpected or repeated part 'resources'"));
    given().multiPart("extra", "x").post(server.baseUri() + "/api/v0/resources")
        .then().statusCode(400).body("message", startsWith("unexpected or repeated part 'extra'"));
    assertNothingStored();
  }

  @Test
  void anInvalidOwnerIsRefusedNamingTheField() throws IOException {
    upload(new byte[100], "{\"ownerNamespace\":\"../../etc\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Pod\"}")
        .then().statusCode(400).body("error", equalTo("bad_request")).body("message", startsWith("invalid owner: ownerNamespace"));
    upload(new byte[100], "{\"ownerNamespace\":\"ns\",\"ownerLabels\":{\"a\":\"b\"},\"ownerType\":\"Job\"}")
        .then().statusCode(400).body("message", startsWith("invalid owner: ownerType"));
    upload(new byte[100], "not json").then().statusCode(400).body("message", startsWith("invalid owner: resourcesOwner"));
    assertNothingStored();
  }

  @Test
  void aBodyThatIsNotMultipartIsRefused() throws IOException {
    given().contentType("application/json").body("{}").post(server.baseUri() + "/api/v0/resources")
        .then().statusCode(400).body("message", startsWith("expected a multipart/form-data body"));
    assertNothingStored();
  }

  @Test
  void aMalformedOrTruncatedMultipartBodyIsRefused() throws Exception {
    var client = HttpClient.newHttpClient();
    String truncated = "--b\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\nsome bytes and then the body ends";
    for (String body : new String[] {"no boundary anywhere", truncated}) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/v0/resources"))
          .header("Content-Type", "multipart/form-data; boundary=b").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("\"error\"");
    }
    assertNothingStored();
  }

  @Test
  void anOversizedPartHeaderIsRefused() throws Exception {
    String body = "--b\r\nContent-Disposition: form-data; name=\"resources\"\r\nX-Padding: " + "p".repeat(10_000)
        + "\r\n\r\nbytes\r\n--b--\r\n";
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/v0/resources"))
            .header("Content-Type", "multipart/form-data; boundary=b").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("a part's headers exceed 8192 bytes");
    assertNothingStored();
  }

  @Test
  void aDeclaredSizeOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v0/resources HTTP/1.1\nHost: localhost\nContent-Type: multipart/form-data; boundary=b\nContent-Length: "
          + (MAX_BUNDLE + 2 * 1024 * 1024) + "\nExpect: 100-continue\n\n");

      String response = http.readResponse();
      assertThat(response).startsWith("HTTP/1.1 413 ").contains("\"error\":\"payload_too_large\"");
    }
    assertNothingStored();
  }

  @Test
  void aBundleOverTheLimitGets413AndLeavesNothing() throws IOException {
    upload(new byte[(int) MAX_BUNDLE + 1], Bundles.OWNER_JSON)
        .then().statusCode(413).body("error", equalTo("payload_too_large"));
    assertNothingStored();
  }

  private Response upload(byte[] bundle, String ownerJson) {
    return given().multiPart("resources", "bundle.tgz", bundle, "multipart/form-data")
        .multiPart("resourcesOwner", ownerJson, "application/json")
        .post(server.baseUri() + "/api/v0/resources");
  }

  private Response download(Response receipt) {
    return given().header("Authorization", receipt.path("resourceSecret"))
        .get(server.baseUri() + "/api/v0/resources/" + receipt.path("resourceId"));
  }

  private void assertNothingStored() throws IOException {
    assertThat(server.storedObjects()).isZero();
    assertThat(server.partialUploads()).isZero();
  }
}
