package io.sparkstaging.submit.stage;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.BundleReceipt;
import io.sparkstaging.common.wire.ErrorBody;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.Statuses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Stages bundles with the staging server's v1 API: by digest where the server offers it (only the
 * files it lacks are sent, {@link DigestUpload}), else as one tar packed straight into the request
 * body (chunked, no temporary file). {@code Expect: 100-continue} lets the server refuse (owner,
 * size, disk) before a byte of a body is sent.
 *
 * <p>The wire records go through {@link ClientJson}, which skips the fields of an answer it does not
 * use, as a client must when a newer server adds some.
 */
public final class StagingClient {
  private static final int CHUNK = 64 * 1024;

  private final URI server;
  private final SSLSocketFactory tls;
  private final StagingTimeouts timeouts;
  private final UploadCredentials credentials;
  private final FileDigests digests;
  private final DigestUpload byDigest;

  /**
   * With the digest cache in the user's cache directory.
   *
   * @param tls the trust for https, or null for the JVM's default
   */
  public StagingClient(URI server, SSLSocketFactory tls, UploadCredentials credentials) {
    this(server, tls, credentials, DigestCache.defaultDir(System.getenv()));
  }

  /** @param digestCache where to remember the digests of local files between runs; empty for nowhere */
  public StagingClient(URI server, SSLSocketFactory tls, UploadCredentials credentials, Optional<Path> digestCache) {
    this(server, tls, credentials, digestCache, StagingTimeouts.from(System.getProperties()));
  }

  StagingClient(URI server, SSLSocketFactory tls, UploadCredentials credentials, Optional<Path> digestCache, StagingTimeouts timeouts) {
    String text = server.toString();
    this.server = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.tls = tls;
    this.timeouts = timeouts;
    this.credentials = credentials;
    this.digests = new FileDigests(DigestCache.in(digestCache), Clock.systemUTC());
    this.byDigest =
        new DigestUpload(route -> open(URI.create(this.server + route)), this.server.toString(), timeouts, credentials, this::delete);
  }

  private HttpURLConnection open(URI uri) throws IOException {
    var connection = (HttpURLConnection) uri.toURL().openConnection();
    if (connection instanceof HttpsURLConnection https && tls != null) {
      https.setSSLSocketFactory(tls);
    }
    connection.setConnectTimeout(timeouts.connectMillis());
    connection.setReadTimeout(timeouts.readMillis());
    return connection;
  }

  /**
   * Stages the bundle, and checks the server's receipt against what was sent: a bundle the server
   * holds other than sent is deleted and the staging fails, so that no pod ever gets it. A plain
   * bundle goes by digest when the server offers it; a gzip one, or any with a server that does
   * not, goes whole.
   */
  public StagedBundle stage(BundlePackager bundle, String namespace, Map<String, String> labels, UploadProgress progress)
      throws StageFailure {
    if (!bundle.gzip()) {
      try (FileDigests.Hashing hashing = startHashing(bundle)) {
        Optional<StagedBundle> staged = byDigest.stage(bundle.files(), hashing, namespace, labels, progress);
        if (staged.isPresent()) {
          return staged.get();
        }
      }
    }
    return stageWhole(bundle, namespace, labels, progress);
  }

  private FileDigests.Hashing startHashing(BundlePackager bundle) throws StageFailure {
    try {
      return digests.start(bundle.files(), bundle.entryNames());
    } catch (IOException e) {
      throw new StageFailure(e.getMessage(), e);
    }
  }

  /**
   * Uploads the bundle as one tar, checking the receipt against the size and SHA-256 of what was
   * sent, computed as it streamed.
   */
  private StagedBundle stageWhole(BundlePackager bundle, String namespace, Map<String, String> labels, UploadProgress progress)
      throws StageFailure {
    long contentBytes = contentBytes(bundle);
    progress.willSend(contentBytes);
    Optional<String> credential = credentials.upFront();
    var sent = new Sent();
    HttpURLConnection answer = upload(bundle, namespace, labels, progress, credential, sent);
    if (status(answer) == Problem.UNAUTHORIZED.status() && credential.isEmpty()) {
      // The server refuses credentials before reading the body (100-continue), so the first try sent
      // none of it; the bundle is packed again from its files for the second.
      sent = new Sent();
      answer =
          upload(bundle, namespace, labels, progress, Optional.of(credentials.answer(answer.getHeaderField("WWW-Authenticate"))), sent);
    }
    try {
      int status = status(answer);
      if (status != Statuses.UPLOADED) {
        throw new StageFailure("staging server " + server + " refused the bundle: HTTP " + status + errorMessage(answer));
      }
      StagedBundle staged;
      try (InputStream in = answer.getInputStream()) {
        BundleReceipt receipt = ClientJson.bundleReceipt(in);
        staged = new StagedBundle(receipt.resourceId(), receipt.resourceSecret(), receipt.size(), receipt.sha256(),
            new StagedBundle.Transfer(bundle.files().size(), contentBytes, bundle.files().size(), contentBytes));
      }
      String sentSha256 = sent.sha256Hex();
      if (staged.size() != sent.size() || !staged.sha256().equalsIgnoreCase(sentSha256)) {
        delete(staged);
        throw new StageFailure("staging server " + server + " stored " + staged.size() + " bytes with SHA-256 " + staged.sha256()
            + ", but this client sent " + sent.size() + " bytes with SHA-256 " + sentSha256 + "; the bundle was deleted");
      }
      return staged;
    } catch (IOException e) {
      throw e instanceof StageFailure failure ? failure
          : new StageFailure("reading the staging server's answer failed: " + timeouts.explain(e), e);
    }
  }

  private static long contentBytes(BundlePackager bundle) throws StageFailure {
    try {
      return bundle.contentBytes();
    } catch (IOException e) {
      throw new StageFailure("cannot read the files to stage: " + e.getMessage(), e);
    }
  }

  private HttpURLConnection upload(BundlePackager bundle, String namespace, Map<String, String> labels, UploadProgress progress,
      Optional<String> credential, Sent sent) throws StageFailure {
    HttpURLConnection connection = null;
    try {
      connection = open(URI.create(server + Routes.V1_BUNDLES));
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setChunkedStreamingMode(CHUNK);
      connection.setRequestProperty("Content-Type", "application/octet-stream");
      connection.setRequestProperty("Expect", "100-continue");
      connection.setRequestProperty(Headers.BUNDLE_OWNER, ownerJson(namespace, labels));
      if (credential.isPresent()) {
        connection.setRequestProperty(Headers.AUTHORIZATION, Headers.bearer(credential.get()));
      }
      try (OutputStream body = sent.counting(connection.getOutputStream())) {
        bundle.writeTo(body, progress::sent);
      }
    } catch (ProtocolException refusedBeforeTheBody) {
      // The server answered "Expect: 100-continue" with a final status: the caller reads it.
    } catch (IOException e) {
      throw new StageFailure("staging server " + server + " is unreachable or broke off the upload: " + timeouts.explain(e), e);
    }
    return connection;
  }

  private int status(HttpURLConnection answer) throws StageFailure {
    try {
      return answer.getResponseCode();
    } catch (IOException e) {
      throw new StageFailure("reading the staging server's answer failed: " + timeouts.explain(e), e);
    }
  }

  /** The size and SHA-256 of the bytes an upload sent, taken as they go out. */
  private static final class Sent {
    private final MessageDigest sha256;
    private long size;

    Sent() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }

    OutputStream counting(OutputStream out) {
      return new DigestOutputStream(out, sha256) {
        @Override
        public void write(int b) throws IOException {
          super.write(b);
          size++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          super.write(bytes, offset, length);
          size += length;
        }
      };
    }

    long size() {
      return size;
    }

    /** Once, after the last byte. */
    String sha256Hex() {
      return HexFormat.of().formatHex(sha256.digest());
    }
  }

  /** Deletes a bundle staged by this run, when what it was for could not be created. */
  public void delete(StagedBundle bundle) throws StageFailure {
    try {
      var connection = open(URI.create(server + Routes.v1Bundle(bundle.resourceId())));
      connection.setRequestMethod("DELETE");
      connection.setRequestProperty(Headers.AUTHORIZATION, Headers.bearer(bundle.resourceSecret()));
      int status = connection.getResponseCode();
      if (status != Statuses.DELETED && status != Problem.NOT_FOUND.status()) {
        throw new StageFailure("deleting bundle " + bundle.resourceId() + " failed: HTTP " + status);
      }
    } catch (IOException e) {
      throw e instanceof StageFailure failure ? failure : new StageFailure("deleting bundle " + bundle.resourceId() + " failed: " + e, e);
    }
  }

  static String ownerJson(String namespace, Map<String, String> labels) {
    return ClientJson.owner(new BundleOwner(namespace, labels, BundleOwner.OwnerType.Pod));
  }

  /** A refusal's JSON body; null when there is none (after a refused {@code 100-continue} the JDK drops it). */
  static ErrorBody errorBody(HttpURLConnection connection) {
    try (InputStream body = connection.getErrorStream()) {
      return body == null ? null : ClientJson.errorBody(body);
    } catch (IOException unreadable) {
      return null;
    }
  }

  /** The refusal's message, else the reason phrase: to append to a failure's line. */
  static String describe(ErrorBody error, HttpURLConnection connection) {
    if (error != null && error.message() != null) {
      return " (" + error.message() + ")";
    }
    try {
      String reason = connection.getResponseMessage();
      return reason == null ? "" : " " + reason;
    } catch (IOException unreadable) {
      return "";
    }
  }

  static String errorMessage(HttpURLConnection connection) {
    return describe(errorBody(connection), connection);
  }
}
