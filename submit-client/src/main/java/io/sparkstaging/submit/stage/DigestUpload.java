package io.sparkstaging.submit.stage;

import com.fasterxml.jackson.jr.ob.JSON;
import io.sparkstaging.common.wire.BlobQuery;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestCommit;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ManifestReceipt;
import io.sparkstaging.common.wire.MissingBlobs;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.Statuses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Staging by digest: asks the server which files it lacks in the namespace, uploads only those,
 * and commits the manifest. A server that does not offer it (the original server, or one on S3
 * storage today) answers the first question with 404, and the caller uploads the whole bundle.
 */
final class DigestUpload {
  private static final int BUFFER = 256 * 1024;
  private static final int PARALLEL_UPLOADS = 4;

  /** Opens a connection to a route of the server, with its trust. */
  @FunctionalInterface
  interface Connections {
    HttpURLConnection open(String route) throws IOException;
  }

  /** Deletes a bundle this run staged. */
  @FunctionalInterface
  interface Deleter {
    void delete(StagedBundle bundle) throws StageFailure;
  }

  private final Connections server;
  private final String serverName;
  private final UploadCredentials credentials;
  private final Deleter deleter;

  DigestUpload(Connections server, String serverName, UploadCredentials credentials, Deleter deleter) {
    this.server = server;
    this.serverName = serverName;
    this.credentials = credentials;
    this.deleter = deleter;
  }

  /** Empty when the server does not stage by digest; then nothing was sent but a question. */
  Optional<StagedBundle> stage(List<Path> files, List<ManifestFile> described, String namespace, Map<String, String> labels,
      UploadProgress progress) throws StageFailure {
    var manifest = new Manifest(described);
    Map<String, Path> byDigest = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      byDigest.putIfAbsent(described.get(i).sha256(), files.get(i));
    }
    Optional<String> credential = credentials.upFront();
    HttpURLConnection asked = ask(namespace, byDigest, credential);
    if (status(asked) == Problem.UNAUTHORIZED.status() && credential.isEmpty()) {
      credential = Optional.of(credentials.answer(asked.getHeaderField("WWW-Authenticate")));
      asked = ask(namespace, byDigest, credential);
    }
    if (status(asked) == Problem.NOT_FOUND.status()) {
      return Optional.empty();
    }
    List<String> missing = missing(asked, byDigest);
    var sent = new Sent();
    progress.willSend(missing.stream().mapToLong(digest -> size(byDigest.get(digest))).sum());
    upload(namespace, missing, byDigest, credential, progress, sent);
    BundleOwner owner = new BundleOwner(namespace, labels, BundleOwner.OwnerType.Pod);
    HttpURLConnection committed = commit(namespace, owner, manifest, credential);
    if (status(committed) == Problem.BLOBS_MISSING.status()) {
      // Removed since the question (unlisted past the server's grace period): ask again, once.
      missing = missing(ask(namespace, byDigest, credential), byDigest);
      upload(namespace, missing, byDigest, credential, progress, sent);
      committed = commit(namespace, owner, manifest, credential);
    }
    ManifestReceipt receipt = read(committed, ManifestReceipt.class, "the manifest");
    if (receipt.resourceId() == null || receipt.resourceSecret() == null || receipt.manifestSha256() == null) {
      throw new StageFailure("staging server " + serverName + " answered the commit without a bundle id, secret and manifest digest");
    }
    var staged = new StagedBundle(receipt.resourceId(), receipt.resourceSecret(), receipt.bytes(), receipt.manifestSha256(),
        sent.of(described.size(), manifest.totalSize()));
    if (receipt.files() != described.size() || receipt.bytes() != manifest.totalSize()
        || !manifest.sha256().equals(receipt.manifestSha256())) {
      deleter.delete(staged);
      throw new StageFailure("staging server " + serverName + " committed " + receipt.files() + " files, " + receipt.bytes()
          + " bytes, manifest SHA-256 " + receipt.manifestSha256() + ", but this client sent " + described.size() + " files, "
          + manifest.totalSize() + " bytes, manifest SHA-256 " + manifest.sha256() + "; the bundle was deleted");
    }
    return Optional.of(staged);
  }

  /** What an upload sent over the wire, in files and bytes, counted from several threads. */
  private static final class Sent {
    private int files;
    private long bytes;

    synchronized void add(long fileBytes) {
      files++;
      bytes += fileBytes;
    }

    synchronized StagedBundle.Transfer of(int allFiles, long allBytes) {
      return new StagedBundle.Transfer(allFiles, allBytes, files, bytes);
    }
  }

  /** The answer's digests, those this client asked about: a server cannot make it send anything else. */
  private List<String> missing(HttpURLConnection answer, Map<String, Path> byDigest) throws StageFailure {
    List<String> missing = read(answer, MissingBlobs.class, "the question which files it lacks").missing();
    if (missing == null) {
      throw new StageFailure("staging server " + serverName + " answered the question which files it lacks without a list");
    }
    return missing.stream().filter(byDigest::containsKey).distinct().toList();
  }

  private HttpURLConnection ask(String namespace, Map<String, Path> byDigest, Optional<String> credential) throws StageFailure {
    return postJson(Routes.v1MissingBlobs(namespace), new BlobQuery(List.copyOf(byDigest.keySet())), credential);
  }

  private HttpURLConnection commit(String namespace, BundleOwner owner, Manifest manifest, Optional<String> credential)
      throws StageFailure {
    return postJson(Routes.v1Manifests(namespace), new ManifestCommit(owner, manifest.files()), credential);
  }

  /**
   * Sends the missing files, {@link #PARALLEL_UPLOADS} at a time: each is a request of its own,
   * and the server syncs each to disk before it answers, so one at a time would leave the link idle.
   */
  private void upload(String namespace, List<String> missing, Map<String, Path> byDigest, Optional<String> credential,
      UploadProgress progress, Sent sent) throws StageFailure {
    if (missing.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_UPLOADS, missing.size()), runnable -> {
      Thread thread = new Thread(runnable, "staging-upload");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> uploads = new ArrayList<>();
      for (String digest : missing) {
        uploads.add(pool.submit(() -> {
          uploadOne(namespace, digest, byDigest.get(digest), credential, progress, sent);
          return null;
        }));
      }
      for (Future<?> upload : uploads) {
        upload.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StageFailure failure ? failure : new StageFailure("uploading failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StageFailure("interrupted while uploading", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void uploadOne(String namespace, String digest, Path file, Optional<String> credential, UploadProgress progress, Sent sent)
      throws StageFailure {
    HttpURLConnection put = put(Routes.v1Blob(namespace, digest), file, credential, progress);
    int status = status(put);
    if (status != Statuses.UPLOADED && status != 200) {
      ErrorBody error = StagingClient.errorBody(put);
      if (error != null && Problem.DIGEST_MISMATCH.code().equals(error.error())) {
        throw new StageFailure(file + " changed while it was being staged; stage again");
      }
      throw new StageFailure(
          "staging server " + serverName + " refused " + file + ": HTTP " + status + StagingClient.describe(error, put));
    }
    sent.add(size(file));
  }

  private HttpURLConnection put(String route, Path file, Optional<String> credential, UploadProgress progress) throws StageFailure {
    HttpURLConnection connection = null;
    try {
      connection = server.open(route);
      connection.setRequestMethod("PUT");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(Files.size(file));
      connection.setRequestProperty("Content-Type", "application/octet-stream");
      connection.setRequestProperty("Expect", "100-continue");
      if (credential.isPresent()) {
        connection.setRequestProperty(Headers.AUTHORIZATION, Headers.bearer(credential.get()));
      }
      try (InputStream in = Files.newInputStream(file); OutputStream body = connection.getOutputStream()) {
        byte[] buffer = new byte[BUFFER];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          body.write(buffer, 0, read);
          progress.sent(read);
        }
      }
    } catch (ProtocolException refusedBeforeTheBody) {
      // The server answered "Expect: 100-continue" with a final status: the caller reads it.
    } catch (IOException e) {
      throw new StageFailure("staging server " + serverName + " is unreachable or broke off the upload of " + file + ": " + e, e);
    }
    return connection;
  }

  private HttpURLConnection postJson(String route, Object body, Optional<String> credential) throws StageFailure {
    try {
      HttpURLConnection connection = server.open(route);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      if (credential.isPresent()) {
        connection.setRequestProperty(Headers.AUTHORIZATION, Headers.bearer(credential.get()));
      }
      byte[] json = JSON.std.asBytes(body);
      connection.setFixedLengthStreamingMode(json.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(json);
      }
      return connection;
    } catch (IOException e) {
      throw new StageFailure("staging server " + serverName + " is unreachable: " + e, e);
    }
  }

  private <T> T read(HttpURLConnection answer, Class<T> type, String what) throws StageFailure {
    int status = status(answer);
    if (status / 100 != 2) {
      throw new StageFailure("staging server " + serverName + " refused " + what + ": HTTP " + status + StagingClient.errorMessage(answer));
    }
    try (InputStream in = answer.getInputStream()) {
      return JSON.std.beanFrom(type, in);
    } catch (IOException e) {
      throw new StageFailure("reading the staging server's answer failed: " + e, e);
    }
  }

  private static int status(HttpURLConnection answer) throws StageFailure {
    try {
      return answer.getResponseCode();
    } catch (IOException e) {
      throw new StageFailure("reading the staging server's answer failed: " + e, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
