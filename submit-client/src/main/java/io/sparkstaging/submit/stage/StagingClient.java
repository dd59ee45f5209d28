package io.sparkstaging.submit.stage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Uploads bundles with the staging server's v1 API. The bundle is packed straight into the
 * request body (chunked, no temporary file), and {@code Expect: 100-continue} lets the server
 * refuse (owner, size, disk) before a byte of it is sent.
 */
public final class StagingClient {
  // A tolerant reader: a newer server may add fields to its answers.
  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final int CHUNK = 64 * 1024;

  private final URI server;
  private final SSLSocketFactory tls;
  private final UploadCredentials credentials;

  /** @param tls the trust for https, or null for the JVM's default */
  public StagingClient(URI server, SSLSocketFactory tls, UploadCredentials credentials) {
    String text = server.toString();
    this.server = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.tls = tls;
    this.credentials = credentials;
  }

  private HttpURLConnection open(URI uri) throws IOException {
    var connection = (HttpURLConnection) uri.toURL().openConnection();
    if (connection instanceof HttpsURLConnection https && tls != null) {
      https.setSSLSocketFactory(tls);
    }
    return connection;
  }

  /**
   * Uploads the bundle, and checks the server's receipt against the size and SHA-256 of what was
   * sent, computed as it streamed: a bundle the server holds other than sent is deleted and the
   * staging fails, so that no pod ever gets it.
   */
  public StagedBundle stage(BundlePackager bundle, String namespace, Map<String, String> labels, LongConsumer progress)
      throws StageFailure {
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
        BundleReceipt receipt = JSON.readValue(in, BundleReceipt.class);
        staged = new StagedBundle(receipt.resourceId(), receipt.resourceSecret(), receipt.size(), receipt.sha256());
      }
      String sentSha256 = sent.sha256Hex();
      if (staged.size() != sent.size() || !staged.sha256().equalsIgnoreCase(sentSha256)) {
        delete(staged);
        throw new StageFailure("staging server " + server + " stored " + staged.size() + " bytes with SHA-256 " + staged.sha256()
            + ", but this client sent " + sent.size() + " bytes with SHA-256 " + sentSha256 + "; the bundle was deleted");
      }
      return staged;
    } catch (IOException e) {
      throw e instanceof StageFailure failure ? failure : new StageFailure("reading the staging server's answer failed: " + e, e);
    }
  }

  private HttpURLConnection upload(BundlePackager bundle, String namespace, Map<String, String> labels, LongConsumer progress,
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
        bundle.writeTo(body, progress);
      }
    } catch (ProtocolException refusedBeforeTheBody) {
      // The server answered "Expect: 100-continue" with a final status: the caller reads it.
    } catch (IOException e) {
      throw new StageFailure("staging server " + server + " is unreachable or broke off the upload: " + e, e);
    }
    return connection;
  }

  private int status(HttpURLConnection answer) throws StageFailure {
    try {
      return answer.getResponseCode();
    } catch (IOException e) {
      throw new StageFailure("reading the staging server's answer failed: " + e, e);
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
    try {
      return JSON.writeValueAsString(new BundleOwner(namespace, labels, BundleOwner.OwnerType.Pod));
    } catch (IOException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /** The server's JSON message; after a refused {@code 100-continue} the JDK drops the body, so then the reason phrase. */
  private static String errorMessage(HttpURLConnection connection) {
    try (InputStream body = connection.getErrorStream()) {
      ErrorBody error = body == null ? null : JSON.readValue(body, ErrorBody.class);
      if (error != null && error.message() != null) {
        return " (" + error.message() + ")";
      }
      String reason = connection.getResponseMessage();
      return reason == null ? "" : " " + reason;
    } catch (IOException unreadable) {
      return "";
    }
  }
}
