package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sparkstaging.common.wire.BlobQuery;
import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestCommit;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ManifestReceipt;
import io.sparkstaging.common.wire.MissingBlobs;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.Routes;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging by digest overlaps hashing with sending: the server is asked about the files hashed so
 * far, and those it lacks are on their way while the others are still being hashed. The server
 * here holds nothing, checks every blob against its digest and commits what it is sent.
 */
class DigestUploadTest {
  private static final String NAMESPACE = "spark-jobs";
  /** The server's side of the JSON, as the server's mapper reads and writes it. */
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean forgetAtTheFirstCommit;

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private DigestUpload client() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(Routes.V1_NAMESPACES, this::answer);
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    return new DigestUpload(route -> (HttpURLConnection) URI.create(base + route).toURL().openConnection(), base,
        StagingTimeouts.from(new Properties()), UploadCredentials.none(), bundle -> {});
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (path.equals(Routes.v1MissingBlobs(NAMESPACE))) {
      List<String> digests = JSON.readValue(body, BlobQuery.class).digests();
      requests.add("ask " + digests);
      reply(exchange, 200, JSON.writeValueAsBytes(new MissingBlobs(digests)));
    } else if (path.startsWith(Routes.v1Blob(NAMESPACE, "")) && exchange.getRequestMethod().equals("PUT")) {
      String digest = path.substring(path.lastIndexOf('/') + 1);
      requests.add("PUT " + digest);
      exchange.sendResponseHeaders(digest.equals(sha256(body)) ? 201 : 400, -1);
    } else if (path.equals(Routes.v1Manifests(NAMESPACE))) {
      requests.add("commit");
      if (forgetAtTheFirstCommit) {
        forgetAtTheFirstCommit = false;
        reply(exchange, Problem.BLOBS_MISSING.status(), JSON.writeValueAsBytes(new ErrorBody(Problem.BLOBS_MISSING.code(), "gone")));
        exchange.close();
        return;
      }
      List<ManifestFile> files = JSON.readValue(body, ManifestCommit.class).files();
      var manifest = new Manifest(files);
      reply(exchange, 201, JSON.writeValueAsBytes(new ManifestReceipt("0123456789abcdef0123456789abcdef", "s3cret", files.size(),
          manifest.totalSize(), manifest.sha256())));
    } else {
      exchange.sendResponseHeaders(400, -1);
    }
    exchange.close();
  }

  private static void reply(HttpExchange exchange, int status, byte[] json) throws IOException {
    exchange.sendResponseHeaders(status, json.length);
    exchange.getResponseBody().write(json);
  }

  private static FileDigests.DescribedFile described(int index, Path file) throws IOException {
    return new FileDigests.DescribedFile(index, new ManifestFile(file.getFileName().toString(), FileDigests.sha256(file), Files.size(file),
        BundleFormat.modeOf(false)));
  }

  @Test
  void theFirstFileIsSentWhileTheLastIsStillBeingHashed() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "application");
    Path lib = Files.writeString(work.resolve("lib.jar"), "library");
    String appDigest = FileDigests.sha256(app);
    String libDigest = FileDigests.sha256(lib);
    // Hands app.jar over, then lib.jar only once the server holds app.jar: a client that hashed
    // every file before its first question would wait here for good.
    FileDigests.Descriptions hashing = new FileDigests.Descriptions() {
      private int calls;

      @Override
      public List<FileDigests.DescribedFile> next() throws IOException {
        calls++;
        if (calls == 1) {
          return List.of(described(0, app));
        }
        if (calls == 2) {
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (!requests.contains("PUT " + appDigest)) {
            if (System.nanoTime() > deadline) {
              throw new IOException("app.jar was not sent while lib.jar was being hashed");
            }
            Thread.onSpinWait();
          }
          return List.of(described(1, lib));
        }
        return List.of();
      }
    };

    StagedBundle staged = client().stage(List.of(app, lib), hashing, NAMESPACE, Map.of("a", "b"), UploadProgress.NONE).orElseThrow();

    assertThat(staged.transfer()).isEqualTo(new StagedBundle.Transfer(2, 18, 2, 18));
    assertThat(requests).containsExactly("ask [" + appDigest + "]", "PUT " + appDigest, "ask [" + libDigest + "]", "PUT " + libDigest,
        "commit");
  }

  @Test
  void blobsRemovedBeforeTheCommitAreSentAgainAndTheProgressStillCountsThem() throws Exception {
    Path app = Files.writeString(work.resolve("app.jar"), "application");
    Path lib = Files.writeString(work.resolve("lib.jar"), "library");
    var both = List.of(described(0, app), described(1, lib));
    FileDigests.Descriptions hashing = new FileDigests.Descriptions() {
      private boolean handedOver;

      @Override
      public List<FileDigests.DescribedFile> next() {
        List<FileDigests.DescribedFile> next = handedOver ? List.of() : both;
        handedOver = true;
        return next;
      }
    };
    var planned = new AtomicLong();
    var sent = new AtomicLong();
    var progress = new UploadProgress() {
      @Override
      public void willSend(long bytes) {
        planned.set(bytes);
      }

      @Override
      public void sent(long bytes) {
        sent.addAndGet(bytes);
      }
    };
    forgetAtTheFirstCommit = true;

    StagedBundle staged = client().stage(List.of(app, lib), hashing, NAMESPACE, Map.of("a", "b"), progress).orElseThrow();

    assertThat(requests).filteredOn(request -> request.startsWith("PUT ")).hasSize(4);
    assertThat(requests).filteredOn("commit"::equals).hasSize(2);
    assertThat(staged.transfer()).isEqualTo(new StagedBundle.Transfer(2, 18, 4, 36));
    assertThat(sent.get()).isEqualTo(36).isEqualTo(planned.get());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
