package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Routes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client checks the receipt against what it sent. The real server's receipts are right (the
 * ITs stage through it); this one's are right or wrong as the test says, and it answers only the
 * requests of the protocol, each checked: the whole upload and its deletion, and, when told to,
 * staging by digest.
 */
class StagingClientReceiptTest {
  @TempDir
  Path work;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean lie;
  private volatile boolean byDigest;
  private volatile boolean noisy;

  private StagingClient client() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(Routes.V1_BUNDLES, this::answer);
    server.createContext(Routes.V1_NAMESPACES, this::answerByDigest);
    server.start();
    return new StagingClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, UploadCredentials.none(),
        Optional.empty());
  }

  /** The digest protocol, for app.jar only: missing, uploaded, committed with a right or wrong receipt. */
  private void answerByDigest(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    exchange.getRequestBody().readAllBytes();
    String app = sha256("application".getBytes(StandardCharsets.UTF_8));
    if (!byDigest) {
      exchange.sendResponseHeaders(404, -1);
    } else if (path.equals(Routes.v1MissingBlobs("spark-jobs"))) {
      // A noisy server repeats itself and names a file nobody asked about.
      reply(exchange, 200, noisy ? "{\"missing\":[\"" + app + "\",\"" + app + "\",\"" + "f".repeat(64) + "\"]}"
          : "{\"missing\":[\"" + app + "\"]}");
    } else if (path.equals(Routes.v1Blob("spark-jobs", app)) && exchange.getRequestMethod().equals("PUT")) {
      exchange.sendResponseHeaders(201, -1);
    } else if (path.equals(Routes.v1Manifests("spark-jobs"))) {
      String manifestSha256 = new Manifest(List.of(new ManifestFile("app.jar", app, 11, lie ? 0755 : 0644))).sha256();
      reply(exchange, 201, "{\"resourceId\":\"0123456789abcdef0123456789abcdef\",\"resourceSecret\":\"s3cret\",\"files\":1,"
          + "\"bytes\":11,\"manifestSha256\":\"" + manifestSha256 + "\"}");
    } else {
      exchange.sendResponseHeaders(400, -1);
    }
    exchange.close();
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
    if (exchange.getRequestMethod().equals("POST") && path.equals(Routes.V1_BUNDLES)) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      byte[] stored = lie ? "something else".getBytes(StandardCharsets.UTF_8) : body;
      String receipt = "{\"resourceId\":\"0123456789abcdef0123456789abcdef\",\"resourceSecret\":\"s3cret\",\"size\":" + stored.length
          + ",\"sha256\":\"" + sha256(stored) + "\"}";
      exchange.sendResponseHeaders(201, receipt.length());
      exchange.getResponseBody().write(receipt.getBytes(StandardCharsets.UTF_8));
    } else if (exchange.getRequestMethod().equals("DELETE") && path.equals(Routes.v1Bundle("0123456789abcdef0123456789abcdef"))) {
      exchange.sendResponseHeaders(204, -1);
    } else {
      exchange.sendResponseHeaders(400, -1);
    }
    exchange.close();
  }

  private BundlePackager bundle() throws IOException {
    return new BundlePackager(List.of(Files.writeString(work.resolve("app.jar"), "application")), false);
  }

  @Test
  void aReceiptThatMatchesWhatWasSentIsTheStagedBundle() throws Exception {
    StagedBundle staged = client().stage(bundle(), "spark-jobs", Map.of("spark-app-selector", "a"), UploadProgress.NONE);

    assertThat(staged.resourceId()).isEqualTo("0123456789abcdef0123456789abcdef");
    // A server that does not stage by digest answers the question with 404: the bundle then goes whole.
    assertThat(requests).containsExactly("POST " + Routes.v1MissingBlobs("spark-jobs"), "POST " + Routes.V1_BUNDLES + " null");
  }

  @Test
  void aReceiptForOtherBytesFailsTheStagingAndTheBundleIsDeleted() throws Exception {
    lie = true;
    StagingClient client = client();

    assertThatThrownBy(() -> client.stage(bundle(), "spark-jobs", Map.of("spark-app-selector", "a"), UploadProgress.NONE))
        .isInstanceOf(StageFailure.class).hasMessageContaining("but this client sent").hasMessageEndingWith("the bundle was deleted");
    assertThat(requests).containsExactly("POST " + Routes.v1MissingBlobs("spark-jobs"), "POST " + Routes.V1_BUNDLES + " null",
        "DELETE " + Routes.v1Bundle("0123456789abcdef0123456789abcdef") + " Bearer s3cret");
  }

  @Test
  void byDigestOnlyTheMissingFileIsSentAndAMatchingReceiptIsTheStagedBundle() throws Exception {
    byDigest = true;

    StagedBundle staged = client().stage(bundle(), "spark-jobs", Map.of("spark-app-selector", "a"), UploadProgress.NONE);

    assertThat(staged.transfer()).isEqualTo(new StagedBundle.Transfer(1, 11, 1, 11));
    assertThat(requests).containsExactly("POST " + Routes.v1MissingBlobs("spark-jobs"),
        "PUT " + Routes.v1Blob("spark-jobs", sha256("application".getBytes(StandardCharsets.UTF_8))),
        "POST " + Routes.v1Manifests("spark-jobs"));
  }

  @Test
  void onlyFilesItAskedAboutAreSentEachOnceWhateverTheServerAnswers() throws Exception {
    byDigest = true;
    noisy = true;

    StagedBundle staged = client().stage(bundle(), "spark-jobs", Map.of("spark-app-selector", "a"), UploadProgress.NONE);

    assertThat(staged.transfer().filesSent()).isEqualTo(1);
    assertThat(requests).filteredOn(request -> request.startsWith("PUT ")).hasSize(1);
  }

  @Test
  void aManifestReceiptForOtherFilesFailsTheStagingAndTheBundleIsDeleted() throws Exception {
    byDigest = true;
    lie = true;
    StagingClient client = client();

    assertThatThrownBy(() -> client.stage(bundle(), "spark-jobs", Map.of("spark-app-selector", "a"), UploadProgress.NONE))
        .isInstanceOf(StageFailure.class).hasMessageContaining("but this client sent 1 files")
        .hasMessageEndingWith("the bundle was deleted");
    assertThat(requests).endsWith("DELETE " + Routes.v1Bundle("0123456789abcdef0123456789abcdef") + " Bearer s3cret");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
