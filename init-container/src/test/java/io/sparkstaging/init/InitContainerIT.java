package io.sparkstaging.init;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.init.run.InitRun;
import io.sparkstaging.init.support.FakeFileServer;
import io.sparkstaging.init.support.InitHarness;
import io.sparkstaging.init.support.Tars;
import io.sparkstaging.init.support.Zips;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.SelfSignedCertificate;
import io.sparkstaging.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The init-container against a real staging server and against misbehaving file servers. */
class InitContainerIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path pod;
  private TestServer server;
  private InitHarness harness;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dataDir);
    harness = new InitHarness(pod);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** Uploads as the original client does: v0 multipart, bundle part labelled multipart/form-data. */
  private Response stageV0(byte[] bundle) {
    Response receipt = given().multiPart("resources", "bundle.tgz", bundle, "multipart/form-data")
        .multiPart("resourcesOwner", Bundles.OWNER_JSON, "application/json").post(server.baseUri() + "/api/v0/resources/");
    receipt.then().statusCode(200);
    return receipt;
  }

  @Test
  void jarsAndFilesArriveThroughTheOriginalKeys() throws Exception {
    Response jars = stageV0(Tars.gzipOf("app.jar", "application", "lib.jar", "library"));
    JsonNode files = new JdkClient().upload(server.baseUri(), Tars.plainOf("lookup.csv", "a,b\n"));
    harness.stagedJars(server.baseUri(), jars.path("resourceId"), jars.path("resourceSecret"))
        .stagedFiles(files.get("resourceId").asText(), files.get("resourceSecret").asText());

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(harness.jarsDir().resolve("app.jar")).hasContent("application");
    assertThat(harness.jarsDir().resolve("lib.jar")).hasContent("library");
    assertThat(harness.filesDir().resolve("lookup.csv")).hasContent("a,b\n");
    assertThat(harness.targetContents()).containsExactly("var/spark-data/spark-files/lookup.csv",
        "var/spark-data/spark-jars/app.jar", "var/spark-data/spark-jars/lib.jar");
    assertThat(result.out() + result.err()).doesNotContain(jars.<String>path("resourceSecret"));
  }

  @Test
  void archivesAreUnpackedUnderTheirAliasBesideThemselves() throws Exception {
    byte[] environment = new Tars.Builder().directory("bin").file("bin/python", "#!/bin/sh".getBytes(StandardCharsets.UTF_8), 0755)
        .file("marker.txt", "env").gzip();
    JsonNode files =
        new JdkClient().upload(server.baseUri(), new Tars.Builder().file("env.tar.gz", environment, 0644).file("notes.txt", "n").plain());
    try (var http = FakeFileServer.http(Zips.of("lib/module.py", "x = 1"))) {
      harness.set("spark.kubernetes.resourceStagingServer.uri", server.baseUri())
          .stagedFiles(files.get("resourceId").asText(), files.get("resourceSecret").asText())
          .set("spark.kubernetes.initcontainer.remoteFiles", http.uri("/py/deps.zip"))
          .set("spark.kubernetes.initcontainer.unpackArchives", "env.tar.gz#environment,deps.zip#deps.zip");

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      Path unpacked = harness.filesDir().resolve(".archives");
      assertThat(unpacked.resolve("environment/marker.txt")).hasContent("env");
      assertThat(Files.isExecutable(unpacked.resolve("environment/bin/python"))).isTrue();
      // Without an alias, the directory takes the archive's own name, as in Spark; the archive stays for the driver's spark-submit.
      assertThat(unpacked.resolve("deps.zip").resolve("lib/module.py")).hasContent("x = 1");
      assertThat(harness.filesDir().resolve("deps.zip")).isRegularFile();
      assertThat(harness.filesDir().resolve("env.tar.gz")).isRegularFile();
      assertThat(harness.run().exitCode()).as("a second run of the same pod").isZero();
      assertThat(result.out()).contains("unpacked env.tar.gz into environment");
    }
  }

  @Test
  void anArchiveThatIsNotAmongTheFilesFailsAndNothingIsPutInPlace() throws Exception {
    JsonNode files = new JdkClient().upload(server.baseUri(), Tars.plainOf("notes.txt", "n"));
    harness.set("spark.kubernetes.resourceStagingServer.uri", server.baseUri())
        .stagedFiles(files.get("resourceId").asText(), files.get("resourceSecret").asText())
        .set("spark.kubernetes.initcontainer.unpackArchives", "env.tar.gz#environment");

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).isEqualTo(InitRun.REJECTED);
    assertThat(result.firstErrorLine()).contains("archive 'env.tar.gz' is not among the files fetched");
    assertThat(harness.targetContents()).isEmpty();
    assertThat(harness.filesDir().resolve(".archives")).doesNotExist();
  }

  @Test
  void aRemoteFileIsSavedUnderTheNameTheClientGaveSpark() throws Exception {
    try (var http = FakeFileServer.http("plus".getBytes())) {
      harness.set("spark.kubernetes.initcontainer.remoteFiles", http.uri("/data/a+b.txt") + "," + http.uri("/data/c%2Bd%20e.txt"));

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(harness.filesDir().resolve("a+b.txt")).hasContent("plus");
      assertThat(harness.filesDir().resolve("c+d e.txt")).hasContent("plus");
    }
  }

  @Test
  void remoteFilesComeFromHttpAndHttps() throws Exception {
    var certificate = new SelfSignedCertificate();
    Path pem = certificate.writeCertificate(pod.resolve("ca.pem"));
    try (var http = FakeFileServer.http("plain http".getBytes());
        var https = FakeFileServer.https("over tls".getBytes(), serverTls(certificate))) {
      harness.set("spark.kubernetes.initcontainer.remoteJars", https.uri("/repo/extra.jar"))
          .set("spark.kubernetes.initcontainer.remoteFiles", http.uri("/data/notes.txt?token=abc"))
          .set("spark.ssl.kubernetes.resourceStagingServer.clientCertPem", pem.toString());

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(harness.jarsDir().resolve("extra.jar")).hasContent("over tls");
      assertThat(harness.filesDir().resolve("notes.txt")).hasContent("plain http");
      assertThat(result.out()).doesNotContain("token=abc");
    }
  }

  private static SSLContext serverTls(SelfSignedCertificate certificate) throws Exception {
    Path store = certificate.writeKeyStore(Files.createTempFile("server", ".p12"), "pass");
    var keyStore = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keyStore.load(in, "pass".toCharArray());
    }
    var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, "pass".toCharArray());
    var context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  @Test
  void aWrongSecretFailsNamingTheBundleAndNeverShowsTheSecret() throws Exception {
    Response jars = stageV0(Tars.gzipOf("app.jar", "x"));
    harness.stagedJars(server.baseUri(), jars.path("resourceId"), "not-the-secret");

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).isEqualTo(InitRun.FETCH_FAILED);
    assertThat(result.firstErrorLine()).startsWith("init-container: failed: jars bundle " + jars.path("resourceId") + " from ")
        .contains("HTTP 404");
    assertThat(result.err()).doesNotContain("not-the-secret");
    assertThat(harness.targetContents()).isEmpty();
  }

  @Test
  void anUnknownIdIsAFinalFailure() throws Exception {
    harness.stagedJars(server.baseUri(), "0123456789abcdef0123456789abcdef", "whatever");

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).isEqualTo(InitRun.FETCH_FAILED);
    assertThat(result.firstErrorLine()).contains("HTTP 404");
  }

  @Test
  void aMissingSecretFileIsAConfigurationError() throws Exception {
    harness.set("spark.kubernetes.resourceStagingServer.uri", server.baseUri())
        .set("spark.kubernetes.initcontainer.downloadJarsResourceIdentifier", "0123456789abcdef0123456789abcdef")
        .set("spark.kubernetes.initcontainer.downloadJarsSecretLocation", pod.resolve("no-such-secret").toString());

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).isEqualTo(InitRun.CONFIG);
    assertThat(result.firstErrorLine()).contains("secret file").contains("no-such-secret").contains("is the secret mounted?");
  }

  static Stream<Arguments> hostileBundles() {
    return Stream.of(
        Arguments.of("absolute path", new Tars.Builder().file("ok.jar", "x").file("/etc/evil", "x").gzip()),
        Arguments.of("parent segment", new Tars.Builder().file("ok.jar", "x").file("../../evil.jar", "x").gzip()),
        Arguments.of("symlink", new Tars.Builder().file("ok.jar", "x").symlink("evil.jar", "/etc/passwd").gzip()),
        Arguments.of("hard link", new Tars.Builder().file("ok.jar", "x").hardlink("evil.jar", "/etc/passwd").gzip()),
        Arguments.of("device", new Tars.Builder().file("ok.jar", "x").special("evil", TarConstants.LF_CHR).gzip()),
        Arguments.of("fifo", new Tars.Builder().file("ok.jar", "x").special("evil", TarConstants.LF_FIFO).gzip()),
        Arguments.of("gzip bomb", new Tars.Builder().file("ok.jar", "x").zeros("bomb.bin", 40L << 20).gzip()),
        Arguments.of("a directory where a file was", new Tars.Builder().file("lib", "x").directory("lib").gzip()),
        Arguments.of("an entry inside a file", new Tars.Builder().file("lib", "x").file("lib/a.jar", "y").gzip()),
        Arguments.of("a name with a newline",
            new Tars.Builder().file("ok.jar", "x").symlink("a\ninit-container: all good", "/etc").gzip()));
  }

  static Stream<Arguments> notBundles() {
    return Stream.of(
        Arguments.of("an empty body", new byte[0]),
        Arguments.of("a small text file", "not a bundle\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Arguments.of("a small zip", io.sparkstaging.init.support.Zips.of("app.jar", "x")),
        Arguments.of("a tar cut short", java.util.Arrays.copyOf(Tars.plainOf("app.jar", "x"), 1024)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notBundles")
  void whatIsNotAWholeTarIsRejectedNotTakenForAnEmptyBundle(String description, byte[] bundle) throws Exception {
    Response jars = stageV0(bundle);
    harness.stagedJars(server.baseUri(), jars.path("resourceId"), jars.path("resourceSecret"));

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).as(result.err()).isEqualTo(InitRun.REJECTED);
    assertThat(result.firstErrorLine()).contains("jars bundle").containsAnyOf("not a tar archive", "end-of-archive marker");
    assertThat(harness.targetContents()).isEmpty();
  }

  @Test
  void anEmptyTarIsAnEmptyBundle() throws Exception {
    Response jars = stageV0(new Tars.Builder().gzip());
    harness.stagedJars(server.baseUri(), jars.path("resourceId"), jars.path("resourceSecret"));

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("0 file(s)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileBundles")
  void aHostileBundleIsRejectedAndTheTargetsStayAsTheyWere(String description, byte[] bundle) throws Exception {
    Files.writeString(harness.jarsDir().resolve("already-there.jar"), "untouched");
    Response jars = stageV0(bundle);
    harness.stagedJars(server.baseUri(), jars.path("resourceId"), jars.path("resourceSecret"));

    InitHarness.Result result = harness.run("--max-unpacked-size", "16m");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(InitRun.REJECTED);
    assertThat(result.firstErrorLine()).contains("jars bundle")
        .contains(description.equals("gzip bomb") ? "unpacks to more than" : "unsafe bundle");
    // One line each, whatever the names held: nothing can pass for the init-container's own output.
    assertThat(result.err().lines()).allSatisfy(line -> assertThat(line).matches("(init-container: failed: |  ).*"));
    assertThat(harness.targetContents()).containsExactly("var/spark-data/spark-jars/already-there.jar");
    assertThat(harness.jarsDir().resolve("already-there.jar")).hasContent("untouched");
    assertThat(pod.getParent()).isNotNull();
  }

  @Test
  void whenOneDependencyFailsNothingIsPutInPlace() throws Exception {
    Response jars = stageV0(Tars.gzipOf("app.jar", "fine"));
    harness.stagedJars(server.baseUri(), jars.path("resourceId"), jars.path("resourceSecret"))
        .stagedFiles("0123456789abcdef0123456789abcdef", "wrong");

    InitHarness.Result result = harness.run();

    assertThat(result.exitCode()).isEqualTo(InitRun.FETCH_FAILED);
    assertThat(result.firstErrorLine()).contains("files bundle");
    assertThat(harness.targetContents()).isEmpty();
  }

  @Test
  void aConnectionDroppedMidDownloadIsResumedWithRange() throws Exception {
    byte[] content = Bundles.random(3_000_000, 1);
    try (var flaky = FakeFileServer.http(content).cuttingFirstAnswerAfter(1_000_000)) {
      harness.set("spark.kubernetes.initcontainer.remoteJars", flaky.uri("/big.jar"));

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(Files.readAllBytes(harness.jarsDir().resolve("big.jar"))).isEqualTo(content);
      assertThat(flaky.rangesAsked()).hasSize(2).element(1).asString().startsWith("bytes=").isNotEqualTo("bytes=0-");
    }
  }

  @Test
  void wrongBytesAreDetectedAndNothingIsPutInPlace() throws Exception {
    try (var liar = FakeFileServer.http(Bundles.random(100_000, 2)).corrupting()) {
      harness.set("spark.kubernetes.initcontainer.remoteJars", liar.uri("/corrupt.jar"));

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).isEqualTo(InitRun.REJECTED);
      assertThat(result.firstErrorLine()).contains("remote jar").contains("SHA-256");
      assertThat(harness.targetContents()).isEmpty();
    }
  }

  @Test
  void theOriginalServerWhichKnowsOnlyV0IsToldApartAndFetchedFromThroughV0() throws Exception {
    byte[] bundle = Tars.gzipOf("app.jar", "application");
    try (var original = FakeFileServer.http(bundle).onlyUnder(Routes.V0_RESOURCES + "/", false)) {
      harness.stagedJars(original.uri(""), "0123456789abcdef0123456789abcdef", "the-secret");

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(harness.jarsDir().resolve("app.jar")).hasContent("application");
      // v1 first, with a bearer token; its 404 lacks the project's API header, so v0 follows, with the bare secret.
      assertThat(original.pathsSeen()).containsExactly(Routes.v1Bundle("0123456789abcdef0123456789abcdef"),
          Routes.v0Resource("0123456789abcdef0123456789abcdef"));
      assertThat(original.authorizationsSeen()).containsExactly("Bearer the-secret", "the-secret");
    }
  }

  @Test
  void aNotFoundFromThisProjectsServerIsFinalWithoutTryingV0() throws Exception {
    try (var project = FakeFileServer.http(new byte[0]).onlyUnder("/nowhere/", true)) {
      harness.stagedJars(project.uri(""), "0123456789abcdef0123456789abcdef", "the-secret");

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).isEqualTo(InitRun.FETCH_FAILED);
      assertThat(project.pathsSeen()).containsExactly(Routes.v1Bundle("0123456789abcdef0123456789abcdef"));
    }
  }

  @Test
  void aBundleSecretIsNeverSentAlongARedirect() throws Exception {
    try (var elsewhere = FakeFileServer.http("stolen".getBytes());
        var redirecting =
            FakeFileServer.http(new byte[0]).onlyUnder(Routes.V1_BUNDLES + "/", true).redirectingTo(elsewhere.uri("/collect"))) {
      harness.stagedJars(redirecting.uri(""), "0123456789abcdef0123456789abcdef", "the-secret");

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).isEqualTo(InitRun.FETCH_FAILED);
      assertThat(result.firstErrorLine()).contains("HTTP 302").contains("not followed");
      assertThat(elsewhere.authorizationsSeen()).doesNotContain("the-secret", "Bearer the-secret");
      assertThat(harness.targetContents()).isEmpty();
    }
  }

  @Test
  void aRedirectedBundleIsCheckedAgainstTheDigestTheStagingServerVouchedFor() throws Exception {
    byte[] expected = Tars.plainOf("app.jar", "application");
    try (var store = FakeFileServer.http(Tars.plainOf("app.jar", "something else"));
        var staging =
            FakeFileServer.http(new byte[0]).onlyUnder(Routes.V1_BUNDLES + "/", true).redirectingTo(store.uri("/presigned"), expected)) {
      harness.stagedJars(staging.uri(""), "0123456789abcdef0123456789abcdef", "the-secret");

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).isEqualTo(InitRun.REJECTED);
      assertThat(result.firstErrorLine()).contains("SHA-256");
      assertThat(store.authorizationsSeen()).containsOnlyNulls();
      assertThat(harness.targetContents()).isEmpty();
    }
  }

  @Test
  void aDownloadFromTheObjectStoreThatBreaksIsResumedThroughTheStagingServer() throws Exception {
    byte[] bundle = Tars.plainOf("big.jar", "x".repeat(3_000_000));
    try (var store = FakeFileServer.http(bundle).cuttingFirstAnswerAfter(1_000_000);
        var staging =
            FakeFileServer.http(new byte[0]).onlyUnder(Routes.V1_BUNDLES + "/", true).redirectingTo(store.uri("/presigned"), bundle)) {
      harness.stagedJars(staging.uri(""), "0123456789abcdef0123456789abcdef", "the-secret");

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(harness.jarsDir().resolve("big.jar")).hasContent("x".repeat(3_000_000));
      // Each attempt asks the staging server (with the secret) for a URL, then the store (without) for the rest.
      assertThat(staging.authorizationsSeen()).hasSize(2).containsOnly("Bearer the-secret");
      assertThat(store.authorizationsSeen()).hasSize(2).containsOnlyNulls();
      assertThat(store.rangesAsked()).element(1).asString().startsWith("bytes=").isNotEqualTo("bytes=0-");
    }
  }

  @Test
  void theObjectStoreBehindARedirectIsNotTrustedWithTheStagingServersCertificates() throws Exception {
    // The configured trust is the staging server's; the store behind its redirect gets the JVM's own.
    var certificate = new SelfSignedCertificate();
    Path pem = certificate.writeCertificate(pod.resolve("ca.pem"));
    byte[] bundle = Tars.plainOf("app.jar", "application");
    try (var store = FakeFileServer.https(bundle, serverTls(certificate));
        var staging = FakeFileServer.https(new byte[0], serverTls(certificate)).onlyUnder(Routes.V1_BUNDLES + "/", true)
            .redirectingTo(store.uri("/presigned"), bundle)) {
      harness.stagedJars(staging.uri(""), "0123456789abcdef0123456789abcdef", "the-secret")
          .set("spark.ssl.kubernetes.resourceStagingServer.clientCertPem", pem.toString());

      // Long enough for at least one full attempt: a cold JVM's first two TLS handshakes on a busy
      // machine took over 2 s once.
      InitHarness.Result result = harness.run("--timeout", "8s");

      // A handshake failure is retried, as any network failure, until the time limit.
      assertThat(result.exitCode()).isEqualTo(InitRun.TIMED_OUT);
      assertThat(result.err()).contains(store.uri("")).contains("SSLHandshakeException");
      assertThat(staging.authorizationsSeen()).isNotEmpty();
      assertThat(store.authorizationsSeen()).isEmpty();
    }
  }

  @Test
  void aRemoteFileMayRedirect() throws Exception {
    try (var target = FakeFileServer.http("moved".getBytes());
        var redirecting = FakeFileServer.http(new byte[0]).redirectingTo(target.uri("/real.csv"))) {
      harness.set("spark.kubernetes.initcontainer.remoteFiles", redirecting.uri("/old.csv"));

      InitHarness.Result result = harness.run();

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(harness.filesDir().resolve("old.csv")).hasContent("moved");
    }
  }

  @Test
  void theTimeLimitIsHonoured() throws Exception {
    try (var silent = FakeFileServer.http(new byte[10]).stalling()) {
      harness.set("spark.kubernetes.initcontainer.remoteFiles", silent.uri("/never.txt"));
      long started = System.nanoTime();

      InitHarness.Result result = harness.run("--timeout", "2s");

      assertThat(result.exitCode()).isEqualTo(InitRun.TIMED_OUT);
      assertThat((System.nanoTime() - started) / 1_000_000_000.0).isLessThan(20);
      assertThat(harness.targetContents()).isEmpty();
    }
  }
}
