package io.sparkstaging.server.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sparkstaging.common.wire.BlobQuery;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestCommit;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ReprDigest;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.TarLayout;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging by digest over HTTP: query, upload what is missing, commit, then download by manifest, by file, or whole. */
class StagingByDigestIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAMESPACE = "spark-jobs";
  private static final BundleOwner OWNER =
      new BundleOwner(NAMESPACE, Map.of("spark-app-selector", "spark-0123", "spark-role", "driver"), BundleOwner.OwnerType.Pod);
  private static final byte[] APP = Bundles.random(300_000, 1);
  private static final byte[] LIB = Bundles.random(1_000, 2);

  @TempDir
  Path dataDir;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dataDir);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private String url(String route) {
    return server.baseUri() + route;
  }

  private Response missing(String namespace, String... digests) throws IOException {
    return given().contentType("application/json").body(JSON.writeValueAsBytes(new BlobQuery(List.of(digests))))
        .post(url(Routes.v1MissingBlobs(namespace)));
  }

  private Response put(String namespace, String sha256, byte[] content) {
    return given().contentType("application/octet-stream").body(content).put(url(Routes.v1Blob(namespace, sha256)));
  }

  private Response commit(String namespace, BundleOwner owner, List<ManifestFile> files) throws IOException {
    return commitJson(namespace, JSON.writeValueAsString(new ManifestCommit(owner, files)));
  }

  private Response commitJson(String namespace, String json) {
    return given().contentType("application/json").body(json).post(url(Routes.v1Manifests(namespace)));
  }

  private static ManifestFile file(String name, byte[] content, int mode) {
    return new ManifestFile(name, Bundles.sha256Hex(content), content.length, mode);
  }

  private static RequestSpecification holding(Response receipt) {
    return given().header("Authorization", "Bearer " + receipt.path("resourceSecret"));
  }

  private Response stageBoth() throws IOException {
    put(NAMESPACE, Bundles.sha256Hex(APP), APP).then().statusCode(201);
    put(NAMESPACE, Bundles.sha256Hex(LIB), LIB).then().statusCode(201);
    return commit(NAMESPACE, OWNER, List.of(file("app.jar", APP, 0644), file("run.sh", LIB, 0755)));
  }

  @Test
  void onlyWhatTheServerLacksIsUploadedAndTheCommitAnswersAReceiptForTheManifest() throws IOException {
    String app = Bundles.sha256Hex(APP);
    String lib = Bundles.sha256Hex(LIB);
    missing(NAMESPACE, app, lib).then().statusCode(200).body("missing", contains(app, lib));
    put(NAMESPACE, app, APP).then().statusCode(201);

    missing(NAMESPACE, app, lib).then().statusCode(200).body("missing", contains(lib));
    put(NAMESPACE, app, APP).then().statusCode(200);
    put(NAMESPACE, lib, LIB).then().statusCode(201);
    missing(NAMESPACE, app, lib).then().body("missing", empty());

    List<ManifestFile> files = List.of(file("app.jar", APP, 0644), file("run.sh", LIB, 0755));
    Response receipt = commit(NAMESPACE, OWNER, files);
    receipt.then().statusCode(201).header("Location", startsWith(url(Routes.V1_BUNDLES + "/"))).body("files", equalTo(2))
        .body("bytes", equalTo(APP.length + LIB.length)).body("manifestSha256", equalTo(new Manifest(files).sha256()));
    assertThat((String) receipt.path("resourceSecret")).hasSizeGreaterThan(40);
  }

  @Test
  void aPodReadsTheManifestThenEachFileWithTheBundlesSecret() throws IOException {
    Response receipt = stageBoth();
    String bundle = url(Routes.v1Bundle(receipt.path("resourceId")));

    Response manifest = holding(receipt).accept(Manifest.MEDIA_TYPE).get(bundle);
    manifest.then().statusCode(200).contentType(startsWith(Manifest.MEDIA_TYPE)).header("Vary", "Accept")
        .header("ETag", "\"" + receipt.path("manifestSha256") + "\"");
    assertThat(Bundles.sha256Hex(manifest.asByteArray())).isEqualTo(receipt.path("manifestSha256"));
    assertThat(Manifest.parse(manifest.asString()).files()).containsExactly(file("app.jar", APP, 0644), file("run.sh", LIB, 0755));

    String app = url(Routes.v1BundleBlob(receipt.path("resourceId"), Bundles.sha256Hex(APP)));
    byte[] bytes = holding(receipt).get(app).then().statusCode(200).header("ETag", "\"" + Bundles.sha256Hex(APP) + "\"")
        .header("Repr-Digest", ReprDigest.format(Bundles.sha256Hex(APP))).extract().asByteArray();
    assertThat(bytes).isEqualTo(APP);
    byte[] tail = holding(receipt).header("Range", "bytes=299990-").get(app).then().statusCode(206).extract().asByteArray();
    assertThat(tail).isEqualTo(Arrays.copyOfRange(APP, 299_990, APP.length));

    given().get(app).then().statusCode(404);
    holding(receipt).get(url(Routes.v1BundleBlob(receipt.path("resourceId"), "0".repeat(64)))).then().statusCode(404)
        .body("error", equalTo("not_found"));
  }

  @Test
  void theWholeBundleIsOneTarAssembledFromTheFilesOnV1AndV0Alike() throws IOException {
    Response receipt = stageBoth();
    String id = receipt.path("resourceId");

    Response whole = holding(receipt).get(url(Routes.v1Bundle(id)));
    whole.then().statusCode(200).header("ETag", "\"" + receipt.path("manifestSha256") + "\"");
    byte[] tar = whole.asByteArray();
    assertThat(whole.header("Content-Length")).isEqualTo(String.valueOf(tar.length));
    assertThat(whole.header("Repr-Digest")).isEqualTo(ReprDigest.format(Bundles.sha256Hex(tar)));
    assertThat(entries(tar)).containsExactly(Map.entry("app.jar", Bundles.sha256Hex(APP)), Map.entry("run.sh", Bundles.sha256Hex(LIB)));
    assertThat(modes(tar)).containsExactly(0644, 0755);
    // Stored once as files; counted as a whole download would send it.
    String metrics = given().get(url("/metrics")).asString();
    assertThat(metrics).contains("staging_blobs_stored_bytes " + (double) (APP.length + LIB.length))
        .contains("staging_bundles_stored_bytes " + (double) tar.length)
        .contains("staging_storage_bytes " + (double) (APP.length + LIB.length));

    byte[] v0 = given().header("Authorization", (String) receipt.path("resourceSecret")).get(url(Routes.v0Resource(id))).then()
        .statusCode(200).extract().asByteArray();
    assertThat(v0).isEqualTo(tar);
    // A range across the first file's end, its padding and the second header.
    byte[] middle = holding(receipt).header("Range", "bytes=300000-301500").get(url(Routes.v1Bundle(id))).then().statusCode(206)
        .extract().asByteArray();
    assertThat(middle).isEqualTo(Arrays.copyOfRange(tar, 300_000, 301_501));
  }

  /** What the init-container relies on to fetch a bundle staged by digest as a few ranges of its tar. */
  @Test
  void eachFileLiesInTheTarWhereTarLayoutPutsItAndARangeOfItIsAnsweredWithoutHashingTheWholeTar() throws IOException {
    Response receipt = stageBoth();
    String bundle = url(Routes.v1Bundle(receipt.path("resourceId")));
    Response manifest = holding(receipt).accept(Manifest.MEDIA_TYPE).get(bundle);
    assertThat(manifest.header(Headers.FILE_DOWNLOADS)).as("the files are not redirected on local disk").isNull();
    TarLayout layout = TarLayout.of(Manifest.parse(manifest.asString()).files());

    // Asked first, before anything needed the whole tar's digest.
    Response second = holding(receipt).header("Range", "bytes=" + layout.start(1) + "-" + (layout.end(1) - 1)).get(bundle);
    second.then().statusCode(206).header("ETag", "\"" + receipt.path("manifestSha256") + "\"")
        .header("Content-Range", "bytes " + layout.start(1) + "-" + (layout.end(1) - 1) + "/" + layout.size());
    assertThat(second.header("Repr-Digest")).isNull();
    byte[] tar = holding(receipt).get(bundle).then().statusCode(200).header("Repr-Digest", startsWith("sha-256=")).extract().asByteArray();

    assertThat(tar).hasSize((int) layout.size());
    assertThat(Arrays.copyOfRange(tar, (int) layout.dataStart(0), (int) layout.dataStart(0) + APP.length)).isEqualTo(APP);
    assertThat(second.asByteArray()).isEqualTo(Arrays.copyOfRange(tar, (int) layout.start(1), (int) layout.end(1)));
    assertThat(Arrays.copyOfRange(tar, (int) layout.dataStart(1), (int) layout.dataStart(1) + LIB.length)).isEqualTo(LIB);
  }

  @Test
  void aBodyThatDoesNotMatchItsDigestIsRefusedAndNothingIsKept() throws IOException {
    String app = Bundles.sha256Hex(APP);

    put(NAMESPACE, app, LIB).then().statusCode(400).body("error", equalTo("digest_mismatch"));

    missing(NAMESPACE, app).then().body("missing", contains(app));
    assertThat(server.partialUploads()).isZero();
    assertThat(server.storedObjects()).isZero();
  }

  @Test
  void aFileWhoseUploadStopsShortIsRefusedSayingWhyAndNothingIsKept() throws IOException {
    String app = Bundles.sha256Hex(APP);
    String answer;
    try (var http = new RawHttp(server.port())) {
      http.send("PUT " + Routes.v1Blob(NAMESPACE, app) + " HTTP/1.1\nHost: localhost\nContent-Length: " + APP.length + "\n\n");
      http.body().write(APP, 0, APP.length / 2);
      http.shutdownOutput();
      answer = http.readResponse();
    }

    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"error\":\"upload_interrupted\"")
        .contains("\"message\":\"the upload ended before it was complete (Early EOF)\"");
    missing(NAMESPACE, app).then().body("missing", contains(app));
    assertThat(server.partialUploads()).isZero();
    assertThat(server.storedObjects()).isZero();
  }

  @Test
  void malformedDigestsNamespacesAndManifestsAreRefusedWithTheirReason() throws IOException {
    String app = Bundles.sha256Hex(APP);
    put(NAMESPACE, app, APP).then().statusCode(201);

    put(NAMESPACE, app.toUpperCase(), APP).then().statusCode(400).body("message", startsWith("the path's digest is not a SHA-256"));
    missing(NAMESPACE, "abc").then().statusCode(400).body("message", startsWith("digests[0] is not a SHA-256"));
    missing("Not_A_Namespace", app).then().statusCode(400).body("error", equalTo("bad_request"));
    commit(NAMESPACE, OWNER, List.of(file("../app.jar", APP, 0644))).then().statusCode(400)
        .body("message", equalTo("invalid manifest: files[0].name must be a plain file name, not a path"));
    commit(NAMESPACE, OWNER, List.of(file("a.jar", APP, 0644), file("a.jar", APP, 0644))).then().statusCode(400)
        .body("message", equalTo("invalid manifest: files[1].name 'a.jar' is used twice"));
    commit(NAMESPACE, OWNER, List.of(new ManifestFile("a.jar", app, APP.length + 1, 0644))).then().statusCode(400)
        .body("message", equalTo("file 'a.jar' is " + (APP.length + 1) + " bytes in the manifest, but its blob holds " + APP.length));
    commit("other", OWNER, List.of(file("a.jar", APP, 0644))).then().statusCode(400)
        .body("message", equalTo("invalid owner: ownerNamespace spark-jobs is not the path's namespace other"));
    commitJson(NAMESPACE, "{\"owner\":" + Bundles.OWNER_JSON + ",\"files\":[],\"extra\":1}").then().statusCode(400)
        .body("message", equalTo("invalid manifest: 'extra' is not a known field; expected files, owner"));
    assertThat(server.store().list()).isEmpty();
  }

  @Test
  void jsonIsReadExactlyAndARefusalNamesTheFieldAndWhatItMustBe() throws IOException {
    String app = Bundles.sha256Hex(APP);
    put(NAMESPACE, app, APP).then().statusCode(201);
    String expected = "; expected files as an array of {name, sha256, size, mode}";

    commitFiles("{\"name\":\"a.jar\",\"sha256\":\"" + app + "\",\"size\":" + APP.length + "}").then().statusCode(400)
        .body("message", equalTo("files[0].mode is missing" + expected));
    commitFiles("{\"name\":\"a.jar\",\"sha256\":\"" + app + "\",\"size\":" + APP.length + ",\"mode\":420.5}").then().statusCode(400)
        .body("message", equalTo("files[0].mode must be a whole number" + expected));
    commitFiles("{\"name\":\"a.jar\",\"sha256\":\"" + app + "\",\"size\":\"" + APP.length + "\",\"mode\":420}").then().statusCode(400)
        .body("message", equalTo("files[0].size must be a whole number" + expected));
    commitFiles("{\"name\":\"a.jar\",\"sha256\":\"" + app + "\",\"size\":1e30,\"mode\":420}").then().statusCode(400)
        .body("message", equalTo("files[0].size must be a whole number" + expected));
    commitFiles("{\"name\":5,\"sha256\":\"" + app + "\",\"size\":" + APP.length + ",\"mode\":420}").then().statusCode(400)
        .body("message", equalTo("files[0].name must be a string" + expected));
    commitFiles("{\"name\":\"a.jar\",\"sha256\":\"" + app + "\",\"size\":null,\"mode\":420}").then().statusCode(400)
        .body("message", equalTo("files[0].size must be a whole number, not null" + expected));
    commitFiles("{\"name\":\"a.jar\",\"sha256\":\"" + app + "\",\"size\":" + APP.length + ",\"mode\":420,\"owner\":1}").then()
        .statusCode(400).body("message", equalTo("files[0].owner is not a known field; expected mode, name, sha256, size"));
    commitFiles("5").then().statusCode(400).body("message", equalTo("files[0] must be an object" + expected));
    String query = "; expected {\"digests\": [SHA256, ...]}";
    missingJson("{}").then().statusCode(400).body("message", equalTo("digests is missing" + query));
    missingJson("{\"digests\":\"" + app + "\"}").then().statusCode(400).body("message", equalTo("digests must be an array" + query));
    missingJson("{\"digests\":[1]}").then().statusCode(400).body("message", equalTo("digests[0] must be a string" + query));
    missingJson("{\"digests\":[").then().statusCode(400)
        .body("message", equalTo("the body ends before its JSON does (line 1, column 13)" + query));
    missingJson("{\"digests\":[x]}").then().statusCode(400)
        .body("message", startsWith("the body is not valid JSON near line 1, column 15: Unrecognized token 'x'"));
    assertThat(server.store().list()).isEmpty();
  }

  private Response commitFiles(String file) {
    return commitJson(NAMESPACE, "{\"owner\":" + Bundles.OWNER_JSON + ",\"files\":[" + file + "]}");
  }

  private Response missingJson(String json) {
    return given().contentType("application/json").body(json).post(url(Routes.v1MissingBlobs(NAMESPACE)));
  }

  @Test
  void aManifestListingAFileTheNamespaceLacksIsRefusedAndCommitsNothing() throws IOException {
    put(NAMESPACE, Bundles.sha256Hex(APP), APP).then().statusCode(201);

    commit(NAMESPACE, OWNER, List.of(file("app.jar", APP, 0644), file("lib.jar", LIB, 0644))).then().statusCode(409)
        .body("error", equalTo("blobs_missing")).body("message", startsWith("1 file(s) of the manifest are not stored in namespace"));

    assertThat(server.store().list()).isEmpty();
  }

  @Test
  void noNamespaceLearnsOrUsesWhatAnotherHolds() throws IOException {
    Response receipt = stageBoth();
    String app = Bundles.sha256Hex(APP);
    BundleOwner other = new BundleOwner("other-team", Map.of("spark-app-selector", "x"), BundleOwner.OwnerType.Pod);

    missing("other-team", app).then().body("missing", contains(app));
    commit("other-team", other, List.of(file("app.jar", APP, 0644))).then().statusCode(409);
    // Uploading the same bytes there stores them there, once more.
    put("other-team", app, APP).then().statusCode(201);
    Response theirs = commit("other-team", other, List.of(file("app.jar", APP, 0644)));
    theirs.then().statusCode(201);
    // One bundle's secret reads only the files its manifest lists.
    holding(theirs).get(url(Routes.v1BundleBlob(theirs.path("resourceId"), Bundles.sha256Hex(LIB)))).then().statusCode(404);
    holding(receipt).get(url(Routes.v1BundleBlob(theirs.path("resourceId"), app))).then().statusCode(404);
  }

  @Test
  void aBundleUploadedWholeHasNoManifestAndNoFiles() {
    byte[] content = Bundles.random(1000, 3);
    Response receipt = given().header("Bundle-Owner", Bundles.OWNER_JSON).contentType("application/octet-stream").body(content)
        .post(url(Routes.V1_BUNDLES));

    byte[] answer = holding(receipt).accept(Manifest.MEDIA_TYPE + ", application/octet-stream;q=0.5")
        .get(url(Routes.v1Bundle(receipt.path("resourceId")))).then().statusCode(200).contentType("application/octet-stream").extract()
        .asByteArray();
    assertThat(answer).isEqualTo(content);
    holding(receipt).get(url(Routes.v1BundleBlob(receipt.path("resourceId"), Bundles.sha256Hex(content)))).then().statusCode(404);
  }

  /** Each entry's name and its content's SHA-256, in order. */
  private static Map<String, String> entries(byte[] tar) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), Bundles.sha256Hex(in.readAllBytes()));
      }
    }
    return entries;
  }

  private static List<Integer> modes(byte[] tar) throws IOException {
    List<Integer> modes = new ArrayList<>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        modes.add(entry.getMode() & 0777);
      }
    }
    return modes;
  }
}
