package io.sparkstaging.submit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkstaging.server.config.TlsConfig;
import io.sparkstaging.server.config.UploadAuthConfig;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.SelfSignedCertificate;
import io.sparkstaging.server.support.TestServer;
import io.sparkstaging.submit.SubmitClientMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code submit-client stage} against a real staging server. */
class StageCommandIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path work;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        SubmitClientMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void stagesFilesAndPrintsJsonForCi() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "application");
    Path lib = Files.writeString(work.resolve("lib.jar"), "library");
    try (var server = TestServer.start(dataDir)) {
      Run run = run("stage", "--staging-server", server.baseUri(), "--namespace", "spark-jobs", "--label", "spark-app-selector=spark-1",
          "-o", "json", app.toString(), lib.toString());

      assertThat(run.code()).as(run.err()).isZero();
      JsonNode receipt = new ObjectMapper().readTree(run.out());
      assertThat(receipt.get("resourceSecret").asText()).matches("[A-Za-z0-9_-]{43}");
      assertThat(receipt.get("names")).extracting(JsonNode::asText).containsExactly("app.jar", "lib.jar");
      assertThat(downloadedEntries(server, receipt)).containsExactly(Map.entry("app.jar", "application"), Map.entry("lib.jar", "library"));
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void restagingSendsOnlyTheChangedFileAndSaysSo() throws Exception {
    byte[] application = new byte[200_000];
    new java.util.Random(1).nextBytes(application);
    Path app = Files.write(work.resolve("app.jar"), application);
    Path lib = Files.writeString(work.resolve("lib.jar"), "library");
    try (var server = TestServer.start(dataDir)) {
      Run first = run("stage", "--staging-server", server.baseUri(), "--namespace", "spark-jobs", "--label", "a=b", "-o", "json",
          app.toString(), lib.toString());
      Files.writeString(lib, "library, version 2");
      Run second = run("stage", "--staging-server", server.baseUri(), "--namespace", "spark-jobs", "--label", "a=b", "-o", "json",
          app.toString(), lib.toString());
      Run third = run("stage", "--staging-server", server.baseUri(), "--namespace", "spark-jobs", "--label", "a=b", app.toString(),
          lib.toString());

      assertThat(first.code()).as(first.err()).isZero();
      JsonNode sentFirst = new ObjectMapper().readTree(first.out());
      assertThat(sentFirst.get("filesSent").asInt()).isEqualTo(2);
      assertThat(sentFirst.get("bytesSent").asLong()).isEqualTo(application.length + "library".length());
      JsonNode sentSecond = new ObjectMapper().readTree(second.out());
      assertThat(sentSecond.get("filesSent").asInt()).isEqualTo(1);
      assertThat(sentSecond.get("bytesSent").asLong()).isEqualTo("library, version 2".length());
      Map<String, String> restaged = downloadedEntries(server, sentSecond);
      assertThat(restaged).containsOnlyKeys("app.jar", "lib.jar").containsEntry("lib.jar", "library, version 2");
      assertThat(restaged.get("app.jar")).isEqualTo(downloadedEntries(server, sentFirst).get("app.jar"));
      assertThat(third.out()).contains("staged 2 files (").contains("0 uploaded (0 B), 2 already on the server");
    }
  }

  @Test
  void twoFilesOfOneNameAreStagedUnderNamesItPrints() throws Exception {
    Path first = Files.writeString(Files.createDirectory(work.resolve("a")).resolve("lib.jar"), "first");
    Path second = Files.writeString(Files.createDirectory(work.resolve("b")).resolve("lib.jar"), "second");
    try (var server = TestServer.start(dataDir)) {
      Run json = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", "-o", "json", first.toString(),
          second.toString());
      Run text = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", first.toString(),
          second.toString());

      assertThat(json.code()).as(json.err()).isZero();
      JsonNode receipt = new ObjectMapper().readTree(json.out());
      assertThat(receipt.get("names")).extracting(JsonNode::asText).containsExactly("lib.jar", "lib-1.jar");
      assertThat(downloadedEntries(server, receipt)).containsExactly(Map.entry("lib.jar", "first"), Map.entry("lib-1.jar", "second"));
      assertThat(json.err())
          .isEqualTo("submit-client: " + second + " is staged as lib-1.jar: another file has its name" + System.lineSeparator());
      assertThat(text.code()).as(text.err()).isZero();
      assertThat(text.err()).isEqualTo(json.err());
    }
  }

  @Test
  void aRenamedFileInADirectoryWithAControlCharacterIsReportedOnOneLine() throws Exception {
    Path first = Files.writeString(work.resolve("lib.jar"), "first");
    Path second = Files.writeString(Files.createDirectory(work.resolve("odd\ndir")).resolve("lib.jar"), "second");
    try (var server = TestServer.start(dataDir)) {
      Run run =
          run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", first.toString(), second.toString());

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.err().lines().toList()).containsExactly(
          "submit-client: " + work.resolve("odd\\ndir").resolve("lib.jar") + " is staged as lib-1.jar: another file has its name");
    }
  }

  @Test
  void aFileWhoseNameNoPodCouldBeGivenIsRefusedBeforeAnythingIsSent() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "application");
    Path odd = Files.writeString(work.resolve("new\nline.jar"), "odd");
    try (var server = TestServer.start(dataDir)) {
      Run run = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", app.toString(), odd.toString());

      assertThat(run.code()).isEqualTo(SubmitClientMain.USAGE);
      assertThat(run.err()).isEqualTo("submit-client: " + work.resolve("new\\nline.jar")
          + ": a staged file's name holds a control character" + System.lineSeparator());
      assertThat(server.storedObjects()).isZero();
    }
  }

  @Test
  void gzipStagesOneCompressedBundleForPodsWithEveryLabel() throws Exception {
    Path notes = Files.writeString(work.resolve("notes.txt"), "text compresses well ".repeat(100));
    try (var server = TestServer.start(dataDir)) {
      Run run = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", "--label", "c=d", "--gzip",
          "-o", "json", notes.toString());

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).as("the fields in a fixed order").startsWith("{\"resourceId\":\"");
      JsonNode receipt = new ObjectMapper().readTree(run.out());
      assertThat(receipt.get("filesSent").asInt()).isEqualTo(1);
      byte[] stored;
      try (var bundle = new JdkClient().download(server.baseUri(), receipt)) {
        stored = bundle.readAllBytes();
      }
      assertThat(stored).startsWith(0x1f, 0x8b).hasSizeLessThan(2100);
      assertThat(server.store().list()).singleElement()
          .satisfies(bundle -> assertThat(bundle.owner().ownerLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "b", "c", "d")));
    }
  }

  @Test
  void helpListsEveryOption() {
    Run help = run("stage", "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--staging-server=URI", "--namespace=NAMESPACE", "--label=KEY=VALUE", "--gzip", "--trust-store=FILE",
        "--trust-store-password=PASSWORD", "--trust-store-type=TYPE", "Default: PKCS12", "--trust-cert-pem=FILE", "--upload-token=TOKEN",
        "--upload-token-file=FILE", "--upload-kubernetes-token", "-o, --output=FORMAT", "Default: text", "-h, --help", "-V, --version",
        "FILE...");
  }

  @Test
  void printsTextForPeople() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "application");
    try (var server = TestServer.start(dataDir)) {
      Run run = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", app.toString());

      assertThat(run.code()).isZero();
      assertThat(run.out()).containsPattern("resource id: +[0-9a-f]{32}").containsPattern("resource secret: +\\S{43}");
    }
  }

  @Test
  void stagesOverHttpsTrustingOnlyTheGivenCertificate() throws Exception {
    var certificate = new SelfSignedCertificate();
    Path cert = certificate.writeCertificate(work.resolve("server.pem"));
    var tls = new TlsConfig.PemFiles(certificate.writePkcs8Key(work.resolve("key.pem")), cert);
    Path app = Files.writeString(work.resolve("app.jar"), "application");
    try (var server = TestServer.start(dataDir, settings -> settings.tls = tls)) {
      Run trusted =
          run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", "--trust-cert-pem", cert.toString(),
              "-o", "json", app.toString());
      Run untrusted = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", app.toString());

      assertThat(trusted.code()).as(trusted.err()).isZero();
      assertThat(untrusted.code()).isEqualTo(SubmitClientMain.STAGING_FAILED);
      assertThat(untrusted.err()).contains("SSL");
    }
  }

  @Test
  void sendsTheUploadTokenToAServerThatWantsOne() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "x");
    Path token = Files.writeString(work.resolve("token"), "team-token\n");
    try (var server = TestServer.start(dataDir, settings -> settings.uploadAuth =
        new UploadAuthConfig(UploadAuthConfig.Mode.token, Optional.of("team-token"), Optional.empty()))) {
      Run without = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", app.toString());
      Run with =
          run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", "--upload-token-file", token.toString(),
              app.toString());

      assertThat(without.code()).isEqualTo(SubmitClientMain.STAGING_FAILED);
      assertThat(without.err()).contains("the staging server takes uploads with its upload token only: give --upload-token-file");
      assertThat(with.code()).as(with.err()).isZero();
    }
  }

  @Test
  void anUnreachableServerIsOneClearLineAndExitCode3() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "x");
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run run = run("stage", "--staging-server", "http://127.0.0.1:" + closedPort, "--namespace", "ns", "--label", "a=b", app.toString());

    assertThat(run.code()).isEqualTo(SubmitClientMain.STAGING_FAILED);
    assertThat(run.err().lines().toList()).hasSize(1).first().asString()
        .startsWith("submit-client: staging failed: staging server http://127.0.0.1:");
  }

  @Test
  void anInvalidOwnerIsRefusedBeforeUploading() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "x");

    Run badNamespace =
        run("stage", "--staging-server", "http://unused", "--namespace", "Not_A_Namespace", "--label", "a=b", app.toString());
    Run badLabel = run("stage", "--staging-server", "http://unused", "--namespace", "ns", "--label", "a=b c", app.toString());

    assertThat(badNamespace.code()).isEqualTo(SubmitClientMain.USAGE);
    assertThat(badNamespace.err()).contains("--namespace 'Not_A_Namespace' is not a valid Kubernetes namespace name");
    assertThat(badLabel.code()).isEqualTo(SubmitClientMain.USAGE);
    assertThat(badLabel.err()).contains("--label 'a=b c'");
  }

  @Test
  void aRefusalFromTheServerIsReported() throws Exception {
    Path app = Files.writeString(work.resolve("big.jar"), "x".repeat(2000));
    try (var server = TestServer.start(dataDir, settings -> settings.maxBundleSize = 1000)) {
      Run run = run("stage", "--staging-server", server.baseUri(), "--namespace", "ns", "--label", "a=b", app.toString());

      assertThat(run.code()).isEqualTo(SubmitClientMain.STAGING_FAILED);
      assertThat(run.err()).startsWith("submit-client: staging failed: staging server").contains("HTTP 413");
      assertThat(Files.list(dataDir.resolve("incoming")).count()).isZero();
    }
  }

  @Test
  void usageErrorsAreExitCode2() throws IOException {
    assertThat(
        run("stage", "--staging-server", "http://x", "--namespace", "ns", "--label", "a=b", work.resolve("missing").toString()).code())
        .isEqualTo(SubmitClientMain.USAGE);
    Path app = Files.writeString(work.resolve("app.jar"), "x");
    Run noLabel = run("stage", "--staging-server", "http://x", "--namespace", "ns", app.toString());
    assertThat(noLabel.code()).isEqualTo(SubmitClientMain.USAGE);
    assertThat(noLabel.err()).contains("--label");
    assertThat(run("stage").code()).isEqualTo(SubmitClientMain.USAGE);
  }

  private static Map<String, String> downloadedEntries(TestServer server, JsonNode receipt) throws Exception {
    var entries = new LinkedHashMap<String, String>();
    try (var tar = new TarArchiveInputStream(new JdkClient().download(server.baseUri(), receipt))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        entries.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }
}
