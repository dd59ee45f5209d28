package io.sparkstaging.submit.stage;

import io.sparkstaging.common.wire.BlobQuery;
import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestCommit;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ManifestReceipt;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Staging by digest: asks the server which files it lacks in the namespace, uploads only those,
 * and commits the manifest. A server that does not offer it (the original server, which knows no
 * v1 route) answers the first question with 404, and the caller uploads the whole bundle.
 */
final class DigestUpload {
  private static final int BUFFER = 256 * 1024;
  /** One buffer per upload thread, not one per file: each new one is zeroed and faulted in. */
  private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);
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
  private final StagingTimeouts timeouts;
  private final UploadCredentials credentials;
  private final Deleter deleter;

  DigestUpload(Connections server, String serverName, StagingTimeouts timeouts, UploadCredentials credentials, Deleter deleter) {
    this.server = server;
    this.serverName = serverName;
    this.timeouts = timeouts;
    this.credentials = credentials;
    this.deleter = deleter;
  }

  /**
   * Asks about the files as they are hashed, and sends each missing one as soon as the server has
   * named it, so that hashing, asking and sending overlap; then commits. Empty when the server
   * does not stage by digest; then nothing was sent but a question.
   */
  Optional<StagedBundle> stage(List<Path> files, FileDigests.Descriptions hashing, String namespace, Map<String, String> labels,
      UploadProgress progress) throws StageFailure {
    var described = new ManifestFile[files.size()];
    // Every digest asked about, with one of its files: files with the same bytes are sent once.
    Map<String, Path> byDigest = new HashMap<>();
    var sent = new Sent();
    Optional<String> credential = credentials.upFront();
    BundleOwner owner = new BundleOwner(namespace, labels, BundleOwner.OwnerType.Pod);
    Manifest manifest;
    HttpURLConnection committed;
    try (var uploads = new Uploads(namespace, progress, sent)) {
      boolean asked = false;
      for (List<FileDigests.DescribedFile> hashed = next(hashing); !hashed.isEmpty(); hashed = next(hashing)) {
        List<String> question = new ArrayList<>();
        for (FileDigests.DescribedFile file : hashed) {
          described[file.index()] = file.file();
          if (byDigest.putIfAbsent(file.file().sha256(), files.get(file.index())) == null) {
            question.add(file.file().sha256());
          }
        }
        if (question.isEmpty()) {
          continue;
        }
        HttpURLConnection answer = ask(namespace, question, credential);
        if (!asked && status(answer) == Problem.UNAUTHORIZED.status() && credential.isEmpty()) {
          credential = Optional.of(credentials.answer(answer.getHeaderField("WWW-Authenticate")));
          answer = ask(namespace, question, credential);
        }
        if (!asked && status(answer) == Problem.NOT_FOUND.status()) {
          return Optional.empty();
        }
        asked = true;
        uploads.send(missing(answer, question), byDigest, credential);
      }
      uploads.await();
      manifest = new Manifest(List.of(described));
      committed = commit(namespace, owner, manifest, credential);
      if (status(committed) == Problem.BLOBS_MISSING.status()) {
        // Removed since the question (unlisted past the server's grace period): ask again, once.
        List<String> all = List.copyOf(byDigest.keySet());
        uploads.send(missing(ask(namespace, all, credential), all), byDigest, credential);
        uploads.await();
        committed = commit(namespace, owner, manifest, credential);
      }
    }
    ManifestReceipt receipt = read(committed, ClientJson::manifestReceipt, "the manifest");
    if (receipt.resourceId() == null || receipt.resourceSecret() == null || receipt.manifestSha256() == null) {
      throw new StageFailure("staging server " + serverName + " answered the commit without a bundle id, secret and manifest digest");
    }
    var staged = new StagedBundle(receipt.resourceId(), receipt.resourceSecret(), receipt.bytes(), receipt.manifestSha256(),
        sent.of(files.size(), manifest.totalSize()));
    if (receipt.files() != files.size() || receipt.bytes() != manifest.totalSize()
        || !manifest.sha256().equals(receipt.manifestSha256())) {
      deleter.delete(staged);
      throw new StageFailure("staging server " + serverName + " committed " + receipt.files() + " files, " + receipt.bytes()
          + " bytes, manifest SHA-256 " + receipt.manifestSha256() + ", but this client sent " + files.size() + " files, "
          + manifest.totalSize() + " bytes, manifest SHA-256 " + manifest.sha256() + "; the bundle was deleted");
    }
    return Optional.of(staged);
  }

  private static List<FileDigests.DescribedFile> next(FileDigests.Descriptions hashing) throws StageFailure {
    try {
      return hashing.next();
    } catch (IOException e) {
      throw new StageFailure(e.getMessage(), e);
    }
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

  /** The answer's digests, those of the question: a server cannot make this client send anything else. */
  private List<String> missing(HttpURLConnection answer, List<String> question) throws StageFailure {
    List<String> missing = read(answer, ClientJson::missingBlobs, "the question which files it lacks").missing();
    if (missing == null) {
      throw new StageFailure("staging server " + serverName + " answered the question which files it lacks without a list");
    }
    var asked = new HashSet<>(question);
    return missing.stream().filter(asked::contains).distinct().toList();
  }

  private HttpURLConnection ask(String namespace, List<String> digests, Optional<String> credential) throws StageFailure {
    return postJson(Routes.v1MissingBlobs(namespace), ClientJson.blobQuery(new BlobQuery(digests)), credential);
  }

  private HttpURLConnection commit(String namespace, BundleOwner owner, Manifest manifest, Optional<String> credential)
      throws StageFailure {
    return postJson(Routes.v1Manifests(namespace), ClientJson.manifestCommit(new ManifestCommit(owner, manifest.files())), credential);
  }

  /**
   * The missing files being sent, {@link #PARALLEL_UPLOADS} at a time: each is a request of its
   * own, and the server syncs each to disk before it answers, so one at a time would leave the
   * link idle.
   */
  private final class Uploads implements AutoCloseable {
    private final String namespace;
    private final UploadProgress progress;
    private final Sent sent;
    private final List<Future<?>> started = new ArrayList<>();
    private ExecutorService pool;
    private long bytes;

    Uploads(String namespace, UploadProgress progress, Sent sent) {
      this.namespace = namespace;
      this.progress = progress;
      this.sent = sent;
    }

    /** Starts sending {@code digests}, after checking that none sent so far failed. */
    void send(List<String> digests, Map<String, Path> byDigest, Optional<String> credential) throws StageFailure {
      for (Future<?> upload : started) {
        if (upload.isDone()) {
          result(upload);
        }
      }
      if (digests.isEmpty()) {
        return;
      }
      if (pool == null) {
        pool = Executors.newFixedThreadPool(PARALLEL_UPLOADS, runnable -> {
          Thread thread = new Thread(runnable, "staging-upload");
          thread.setDaemon(true);
          return thread;
        });
      }
      bytes += digests.stream().mapToLong(digest -> size(byDigest.get(digest))).sum();
      progress.willSend(bytes);
      for (String digest : digests) {
        Path file = byDigest.get(digest);
        started.add(pool.submit(() -> {
          uploadOne(namespace, digest, file, credential, progress, sent);
          return null;
        }));
      }
    }

    /** Waits until every file is sent. */
    void await() throws StageFailure {
      for (Future<?> upload : started) {
        result(upload);
      }
    }

    private static void result(Future<?> upload) throws StageFailure {
      try {
        upload.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof StageFailure failure ? failure : new StageFailure("uploading failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StageFailure("interrupted while uploading", e);
      }
    }

    @Override
    public void close() {
      if (pool != null) {
        pool.shutdownNow();
      }
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
        byte[] buffer = BUFFERS.get();
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          body.write(buffer, 0, read);
          progress.sent(read);
        }
      }
    } catch (ProtocolException refusedBeforeTheBody) {
      // The server answered "Expect: 100-continue" with a final status: the caller reads it.
    } catch (IOException e) {
      throw new StageFailure(
          "staging server " + serverName + " is unreachable or broke off the upload of " + file + ": " + timeouts.explain(e), e);
    }
    return connection;
  }

  private HttpURLConnection postJson(String route, byte[] json, Optional<String> credential) throws StageFailure {
    try {
      HttpURLConnection connection = server.open(route);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      if (credential.isPresent()) {
        connection.setRequestProperty(Headers.AUTHORIZATION, Headers.bearer(credential.get()));
      }
      connection.setFixedLengthStreamingMode(json.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(json);
      }
      return connection;
    } catch (IOException e) {
      throw new StageFailure("staging server " + serverName + " is unreachable: " + timeouts.explain(e), e);
    }
  }

  private <T> T read(HttpURLConnection answer, AnswerReader<T> reader, String what) throws StageFailure {
    int status = status(answer);
    if (status / 100 != 2) {
      throw new StageFailure("staging server " + serverName + " refused " + what + ": HTTP " + status + StagingClient.errorMessage(answer));
    }
    try (InputStream in = answer.getInputStream()) {
      return reader.read(in);
    } catch (IOException e) {
      throw new StageFailure("reading the staging server's answer failed: " + timeouts.explain(e), e);
    }
  }

  private interface AnswerReader<T> {
    T read(InputStream in) throws IOException;
  }

  private int status(HttpURLConnection answer) throws StageFailure {
    try {
      return answer.getResponseCode();
    } catch (IOException e) {
      throw new StageFailure("reading the staging server's answer failed: " + timeouts.explain(e), e);
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
