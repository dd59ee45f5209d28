package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native API: raw-body upload, conditional and ranged download, delete, uniform JSON errors. */
class V1ApiIT {
  private static final long MAX_BUNDLE = 1 << 20;

  @TempDir
  Path dataDir;
  private TestServer server;
  private String bundles;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dataDir, settings -> settings.maxBundleSize = MAX_BUNDLE);
    bundles = server.baseUri() + "/api/v1/bundles";
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private Response upload(byte[] content) {
    return given().header("Bundle-Owner", Bundles.OWNER_JSON).contentType("application/octet-stream").body(content).post(bundles);
  }

  private io.restassured.specification.RequestSpecification holding(Response receipt) {
    return given().header("Authorization", "Bearer " + receipt.path("resourceSecret"));
  }

  @Test
  void anUploadAnswersWithIdSecretSizeAndDigest() {
    byte[] content = Bundles.random(100_000, 1);

    Response receipt = upload(content);

    receipt.then().statusCode(201)
        .header("Location", equalTo(bundles + "/" + receipt.path("resourceId")))
        .header("ETag", equalTo("\"" + Bundles.sha256Hex(content) + "\""))
        .body("size", equalTo(content.length))
        .body("sha256", equalTo(Bundles.sha256Hex(content)));
    assertThat((String) receipt.path("resourceSecret")).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void aDownloadReturnsTheExactBytesWithDigestHeaders() {
    byte[] content = Bundles.random(300_000, 2);
    Response receipt = upload(content);

    byte[] downloaded = holding(receipt).get(bundles + "/" + receipt.path("resourceId")).then().statusCode(200)
        .header("Content-Length", String.valueOf(content.length))
        .header("ETag", "\"" + Bundles.sha256Hex(content) + "\"")
        .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(Bundles.sha256Hex(content))) + ":")
        .header("Accept-Ranges", "bytes")
        .header("Cache-Control", "no-store")
        .extract().asByteArray();

    assertThat(downloaded).isEqualTo(content);
  }

  @Test
  void anEmptyBundleRoundTrips() {
    Response receipt = upload(new byte[0]);
    receipt.then().statusCode(201).body("size", equalTo(0));

    byte[] downloaded = holding(receipt).get(bundles + "/" + receipt.path("resourceId"))
        .then().statusCode(200).header("Content-Length", "0").extract().asByteArray();
    assertThat(downloaded).isEmpty();
  }

  @Test
  void headAnswersTheHeadersWithoutTheBody() {
    Response receipt = upload(Bundles.random(5000, 3));

    holding(receipt).head(bundles + "/" + receipt.path("resourceId")).then().statusCode(200)
        .header("Content-Length", "5000").header("ETag", startsWith("\""));
  }

  @Test
  void aRangeResumesADownload() {
    byte[] content = Bundles.random(10_000, 4);
    Response receipt = upload(content);
    String etag = receipt.header("ETag");

    byte[] tail = holding(receipt).header("Range", "bytes=4000-").header("If-Range", etag)
        .get(bundles + "/" + receipt.path("resourceId")).then().statusCode(206)
        .header("Content-Range", "bytes 4000-9999/10000").header("Content-Length", "6000")
        .extract().asByteArray();
    assertThat(tail).isEqualTo(Arrays.copyOfRange(content, 4000, 10_000));

    byte[] suffix = holding(receipt).header("Range", "bytes=-10").get(bundles + "/" + receipt.path("resourceId"))
        .then().statusCode(206).extract().asByteArray();
    assertThat(suffix).isEqualTo(Arrays.copyOfRange(content, 9990, 10_000));
  }

  @Test
  void aStaleIfRangeGetsTheWholeBundle() {
    Response receipt = upload(Bundles.random(1000, 5));

    holding(receipt).header("Range", "bytes=500-").header("If-Range", "\"something-else\"")
        .get(bundles + "/" + receipt.path("resourceId")).then().statusCode(200).header("Content-Length", "1000");
  }

  @Test
  void aRangeOutsideTheBundleIs416WithItsLength() {
    Response receipt = upload(Bundles.random(1000, 6));

    holding(receipt).header("Range", "bytes=5000-6000").get(bundles + "/" + receipt.path("resourceId"))
        .then().statusCode(416).header("Content-Range", "bytes */1000").body("error", equalTo("range_not_satisfiable"));
  }

  @Test
  void aMatchingIfNoneMatchIsNotModified() {
    Response receipt = upload(Bundles.random(1000, 7));

    holding(receipt).header("If-None-Match", receipt.header("ETag")).get(bundles + "/" + receipt.path("resourceId"))
        .then().statusCode(304);
  }

  @Test
  void unknownIdsAndWrongOrMissingSecretsGetTheSameAnswer() {
    Response receipt = upload(Bundles.random(1000, 8));
    String id = receipt.path("resourceId");

    Response unknown = holding(receipt).get(bundles + "/0123456789abcdef0123456789abcdef");
    Response wrong = given().header("Authorization", "Bearer nope").get(bundles + "/" + id);
    Response missing = given().get(bundles + "/" + id);
    Response malformed = holding(receipt).get(bundles + "/not-an-id");

    for (Response response : new Response[] {wrong, missing, malformed}) {
      assertThat(response.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(404);
      assertThat(response.asString()).isEqualTo(unknown.asString());
    }
  }

  @Test
  void anEncodedPathEscapeIsRefusedBeforeRouting() {
    Response receipt = upload(Bundles.random(10, 11));

    holding(receipt).urlEncodingEnabled(false).get(bundles + "/..%2F..%2Fetc%2Fpasswd")
        .then().statusCode(400).contentType("application/json");
  }

  @Test
  void theSecretHolderCanDelete() {
    Response receipt = upload(Bundles.random(1000, 9));
    String bundle = bundles + "/" + receipt.path("resourceId");

    given().header("Authorization", "Bearer wrong").delete(bundle).then().statusCode(404);
    holding(receipt).get(bundle).then().statusCode(200);

    holding(receipt).delete(bundle).then().statusCode(204);
    holding(receipt).get(bundle).then().statusCode(404);
    holding(receipt).delete(bundle).then().statusCode(404);
  }

  @Test
  void aMatchingReprDigestIsAcceptedAndAWrongOneRefused() throws IOException {
    byte[] content = Bundles.random(1000, 10);
    String right = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(Bundles.sha256Hex(content)));
    String wrong = Base64.getEncoder().encodeToString(new byte[32]);

    given().header("Bundle-Owner", Bundles.OWNER_JSON).header("Repr-Digest", "sha-256=:" + wrong + ":").body(content).post(bundles)
        .then().statusCode(400).body("error", equalTo("digest_mismatch"));
    assertThat(server.storedObjects()).isZero();
    given().header("Bundle-Owner", Bundles.OWNER_JSON).header("Repr-Digest", "sha-256=:" + right + ":").body(content).post(bundles)
        .then().statusCode(201);
  }

  @Test
  void aReprDigestThatCannotBeCheckedIsRefusedNamingItRatherThanIgnored() throws IOException {
    byte[] content = Bundles.random(1000, 11);
    String right = "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(Bundles.sha256Hex(content))) + ":";
    for (String header : List.of("sha-256=:!!!!:", right.toUpperCase(java.util.Locale.ROOT), right.replace(":", ""), "sha-512=:AAAA:")) {
      given().header("Bundle-Owner", Bundles.OWNER_JSON).header("Repr-Digest", header).body(content).post(bundles)
          .then().statusCode(400).body("error", equalTo("bad_request")).body("message", startsWith("Repr-Digest: "));
    }
    // A second line that contradicts the first.
    given().header("Bundle-Owner", Bundles.OWNER_JSON).header("Repr-Digest", right)
        .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":").body(content).post(bundles)
        .then().statusCode(400).body("message", startsWith("Repr-Digest: two different"));
    assertNothingStored();
  }

  @Test
  void everyAnswerSaysWhichApiTheServerSpeaksSoClientsCanTellItFromTheOriginal() {
    // A 404 for an unknown bundle and one for an unknown route both carry it: the init-container
    // falls back to v0 only on a 404 without it.
    given().header("Authorization", "Bearer x").get(bundles + "/0123456789abcdef0123456789abcdef").then().statusCode(404)
        .header("Spark-Staging-Api", "1");
    given().get(server.baseUri() + "/api/v2/whatever").then().statusCode(404).header("Spark-Staging-Api", "1");
    given().get(server.baseUri() + "/healthz").then().statusCode(200).header("Spark-Staging-Api", "1");
  }

  @Test
  void theOwnerIsRequiredAndChecked() throws IOException {
    given().body(new byte[10]).post(bundles).then().statusCode(400).body("message", startsWith("the Bundle-Owner header is required"));
    given().header("Bundle-Owner", "{\"ownerNamespace\":\"ns\",\"ownerLabels\":{},\"ownerType\":\"Pod\"}").body(new byte[10]).post(bundles)
        .then().statusCode(400).body("message", startsWith("invalid owner: ownerLabels"));
    assertNothingStored();
  }

  @Test
  void aDeclaredSizeOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON
          + "\nContent-Length: " + (MAX_BUNDLE + 1) + "\nExpect: 100-continue\n\n");

      // The answer comes before any body byte, and instead of "100 Continue".
      String response = http.readResponse();
      assertThat(response).startsWith("HTTP/1.1 413 ").contains("\"error\":\"payload_too_large\"");
    }
    assertNothingStored();
  }

  @Test
  void aStreamedBodyOverTheLimitIs413WhileStreaming() throws Exception {
    try (var http = new RawHttp(server.port())) {
      // Chunked, so the server can only find out by counting.
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON
          + "\nTransfer-Encoding: chunked\n\n");
      var sending = http.sendZerosInBackground(20 * MAX_BUNDLE, true);

      assertThat(http.readResponse()).startsWith("HTTP/1.1 413 ").contains("payload_too_large");
      sending.join();
    }
    assertNothingStored();
  }

  @Test
  void aBrokenChunkedBodyIs400AndLeavesNothing() throws Exception {
    try (var http = new RawHttp(server.port())) {
      http.send("POST /api/v1/bundles HTTP/1.1\nHost: localhost\nBundle-Owner: " + Bundles.OWNER_JSON
          + "\nTransfer-Encoding: chunked\n\n10\n0123456789abcdef\nzz-not-a-chunk-size\n\n");

      assertThat(http.readResponse()).startsWith("HTTP/1.1 400 ").contains("\"error\":\"upload_interrupted\"");
    }
    assertNothingStored();
  }

  @Test
  void aTinyBodyIsAcceptedHoweverLongTheServerTakes() {
    // Regression: a per-read minimum data rate once refused 5-byte bodies on a cold server.
    upload("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).then().statusCode(201);
  }

  @Test
  void jsonErrorsEverywhere() {
    given().get(server.baseUri() + "/no/such/route").then().statusCode(404).contentType("application/json").body("error",
        equalTo("not_found"));
    given().put(bundles).then().statusCode(405).contentType("application/json").body("error", equalTo("method_not_allowed"));
    given().header("X-Huge", "x".repeat(20_000)).get(server.baseUri() + "/healthz")
        .then().statusCode(431).contentType("application/json").body("error", equalTo("request_header_fields_too_large"));
  }

  @Test
  void probesReportLiveAndReady() {
    given().get(server.baseUri() + "/healthz").then().statusCode(200).body("status", equalTo("ok"));
    given().get(server.baseUri() + "/readyz").then().statusCode(200).body("status", equalTo("ready"));
  }

  private void assertNothingStored() throws IOException {
    assertThat(server.storedObjects()).isZero();
    assertThat(server.partialUploads()).isZero();
  }
}
