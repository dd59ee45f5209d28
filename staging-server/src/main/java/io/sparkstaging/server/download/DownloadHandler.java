package io.sparkstaging.server.download;

import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.common.wire.ReprDigest;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.Statuses;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.http.JsonErrors;
import io.sparkstaging.server.store.BlobStore;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.token.BundleAccess;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves bundle bytes: {@code GET}/{@code HEAD} on {@code /api/v0/resources/ID} (the original
 * route) and {@code /api/v1/bundles/ID}; for a bundle staged by digest, also its manifest (to a v1
 * client that accepts {@link Manifest#MEDIA_TYPE}) and each file it lists, on {@code
 * /api/v1/bundles/ID/blobs/SHA256}, with the bundle's secret. Everything else passes to the
 * wrapped handler (Jersey).
 *
 * <p>This is the fan-out hot path (every driver and executor pod downloads at start), so it runs
 * on Jetty's core API rather than through Jersey: the file is read into pooled direct buffers and
 * written asynchronously, with no heap copy and no thread held per download.
 *
 * <p>Why not memory-mapped? Mapping saves CPU, but every mapping's resident pages count in the
 * process's RSS, which grew by gigabytes (docs/benchmarks.md); memory must stay flat however many pods
 * download at once. Jetty's HTTP/1.1 path offers no sendfile.
 *
 * <p>A store that offers direct URLs (S3 with {@code --download-redirect}) gets v1 downloads
 * answered, once the secret is checked, with a 307 to a presigned URL: the bytes then flow from
 * the object store, and the answer still carries the digest the client verifies them against.
 * v0 downloads always stream, because the original client would send its secret on to the URL.
 */
public final class DownloadHandler extends Handler.Wrapper {
  private static final Pattern ROUTE = Pattern.compile(Pattern.quote(Routes.V0_RESOURCES) + "/([^/]+)/?|"
      + Pattern.quote(Routes.V1_BUNDLES) + "/([^/]+)(?:/blobs/([^/]+))?");
  private static final Logger log = LoggerFactory.getLogger(DownloadHandler.class);

  private final BundleAccess access;
  private final BundleStore store;
  private final TarDigests tarDigests = new TarDigests();

  private final int bufferSize;
  private final DownloadSlots slots;

  /** @param slots bounds the downloads streamed at once, each of which holds a buffer of {@code bufferSize} */
  public DownloadHandler(BundleAccess access, BundleStore store, int bufferSize, DownloadSlots slots, Handler next) {
    super(next);
    this.access = access;
    this.store = store;
    this.bufferSize = bufferSize;
    this.slots = slots;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String method = request.getMethod();
    boolean head = HttpMethod.HEAD.is(method);
    Matcher route = ROUTE.matcher(Request.getPathInContext(request));
    if (!(head || HttpMethod.GET.is(method)) || !route.matches()) {
      return super.handle(request, response, callback);
    }
    boolean v1 = route.group(2) != null;
    String id = v1 ? route.group(2) : route.group(1);
    try {
      BundleRecord record = access.authorize(id, request.getHeaders().get(HttpHeader.AUTHORIZATION));
      if (route.group(3) != null) {
        serve(fileOf(record, route.group(3)), record, head, true, request, response, callback);
      } else if (v1 && record.layout() == BundleRecord.Layout.MANIFEST && wantsManifest(request)) {
        answerManifest(record, head, response, callback);
      } else {
        serve(bundleOf(record), record, head, v1, request, response, callback);
      }
    } catch (RangeNotSatisfiable e) {
      response.getHeaders().put(HttpHeader.CONTENT_RANGE, ByteRange.toNonSatisfiableHeaderValue(e.size));
      JsonErrors.write(response, callback, e);
    } catch (Busy e) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Busy.RETRY_AFTER_SECONDS);
      JsonErrors.write(response, callback, e);
    } catch (StagingException e) {
      JsonErrors.write(response, callback, e);
    }
    return true;
  }

  private Representation bundleOf(BundleRecord record) throws IOException {
    Representation.Opener opener = () -> store.open(record.id());
    if (record.layout() == BundleRecord.Layout.MANIFEST) {
      // The entity tag is the manifest's digest; the bytes' own is computed once, when first asked.
      return new Representation(record.size(), record.etag(), () -> tarDigests.of(record.id(), opener), true, opener, Optional.empty());
    }
    return new Representation(record.size(), record.etag(), record::sha256Hex, false, opener, store.directDownload(record.id()));
  }

  /** One file of a bundle staged by digest; the bundle's secret reads only the files its manifest lists. */
  private Representation fileOf(BundleRecord record, String sha256) throws IOException {
    BlobStore blobs = store.blobs().orElse(null);
    if (blobs == null || record.layout() != BundleRecord.Layout.MANIFEST) {
      throw new StagingException(Problem.NOT_FOUND, "this bundle was not staged by digest; download it whole");
    }
    String namespace = record.owner().ownerNamespace();
    ManifestFile file = manifestOf(blobs, record).files().stream().filter(listed -> listed.sha256().equals(sha256)).findFirst()
        .orElseThrow(() -> new StagingException(Problem.NOT_FOUND, "the bundle lists no file with this digest"));
    return new Representation(file.size(), "\"" + sha256 + "\"", () -> sha256, false, () -> blobs.open(namespace, sha256),
        blobs.directDownload(namespace, sha256));
  }

  private static Manifest manifestOf(BlobStore blobs, BundleRecord record) throws IOException {
    try {
      return blobs.manifest(record.id());
    } catch (NoSuchFileException deletedMeanwhile) {
      throw new StagingException(Problem.NOT_FOUND, "the bundle was deleted");
    }
  }

  private static boolean wantsManifest(Request request) {
    return request.getHeaders().getValuesList(HttpHeader.ACCEPT).stream().anyMatch(accept -> accept.contains(Manifest.MEDIA_TYPE));
  }

  /** The manifest instead of the tar, for a client that can fetch the files one by one. */
  private void answerManifest(BundleRecord record, boolean head, Response response, Callback callback) throws IOException {
    BlobStore blobs = store.blobs().orElseThrow();
    byte[] lines = manifestOf(blobs, record).lines().getBytes(StandardCharsets.UTF_8);
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, Manifest.MEDIA_TYPE + "; charset=utf-8");
    if (blobs.offersDirectDownloads()) {
      headers.put(Headers.FILE_DOWNLOADS, Headers.FILE_DOWNLOADS_REDIRECTED);
    }
    // The lines hash to this tag: the reader checks it got the manifest the client committed.
    headers.put(HttpHeader.ETAG, record.etag());
    headers.put(HttpHeader.VARY, HttpHeader.ACCEPT.asString());
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put(HttpHeader.CONTENT_LENGTH, lines.length);
    if (head) {
      callback.succeeded();
      return;
    }
    recordFirstDownload(record);
    response.write(true, ByteBuffer.wrap(lines), callback);
  }

  private void serve(Representation bytes, BundleRecord record, boolean head, boolean mayRedirect, Request request, Response response,
      Callback callback) throws IOException {
    HttpFields requestHeaders = request.getHeaders();
    HttpFields.Mutable headers = response.getHeaders();
    if (bytes.etag().equals(requestHeaders.get(HttpHeader.IF_NONE_MATCH))) {
      putRepresentation(headers, bytes, true);
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    if (mayRedirect && !head) {
      Optional<URI> direct = bytes.direct();
      if (direct.isPresent()) {
        recordFirstDownload(record);
        putRepresentation(headers, bytes, true);
        // 307 keeps the method and the client's Range header; the URL is a credential, so it is never logged.
        response.setStatus(Statuses.REDIRECTED_TO_STORE);
        headers.put(HttpHeader.LOCATION, direct.get().toASCIIString());
        headers.put(HttpHeader.CONTENT_LENGTH, 0);
        callback.succeeded();
        return;
      }
    }
    ByteRange range = requestedRange(requestHeaders, bytes);
    long offset = range == null ? 0 : range.first();
    long length = range == null ? bytes.size() : range.getLength();
    if (head) {
      putContent(response, bytes, range, length);
      callback.succeeded();
      return;
    }
    if (!slots.tryAcquire()) {
      throw new Busy(slots.max());
    }
    SeekableByteChannel channel;
    try {
      channel = bytes.opener().open();
    } catch (NoSuchFileException deletedMeanwhile) {
      slots.release();
      throw new StagingException(Problem.NOT_FOUND, "the bundle was deleted");
    } catch (IOException | RuntimeException e) {
      slots.release();
      throw e;
    }
    // Nothing about the bundle is said until its bytes are in hand: a bundle deleted after the
    // secret was checked gets a clean 404, not a 404 body under the bundle's Content-Length.
    try {
      recordFirstDownload(record);
      putContent(response, bytes, range, length);
      // A small bundle takes a small buffer from the pool, not a whole read buffer.
      var pool =
          new ByteBufferPool.Sized(request.getComponents().getByteBufferPool(), true, (int) Math.max(1, Math.min(bufferSize, length)));
      // Jetty runs a non-blocking callback's next step, here the next read, on the selector thread.
      // A read that waits on the network (an object store) must not: it would stall every download.
      InvocationType reads = store.readsMayBlock() ? InvocationType.BLOCKING : callback.getInvocationType();
      Content.copy(Content.Source.from(pool, channel, offset, length), response, Callback.from(reads, () -> {
        IO.close(channel);
        slots.release();
        callback.succeeded();
      }, failure -> {
        IO.close(channel);
        slots.release();
        callback.failed(failure);
      }));
    } catch (RuntimeException beforeTheCopyStarted) {
      // Once the copy has started its callback owns the slot and the channel; before, they are released here.
      IO.close(channel);
      slots.release();
      throw beforeTheCopyStarted;
    }
  }

  /** @param whole false for a range: its answer then says the digest only where that costs no read of every byte */
  private static void putRepresentation(HttpFields.Mutable headers, Representation bytes, boolean whole) {
    headers.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    headers.put(HttpHeader.ETAG, bytes.etag());
    if (whole || !bytes.sha256ReadsAll()) {
      headers.put(ReprDigest.HEADER, ReprDigest.format(bytes.sha256().get()));
    }
    headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
    // Bundles hold private code: no shared cache may keep a copy.
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
  }

  private static void putContent(Response response, Representation bytes, ByteRange range, long length) {
    HttpFields.Mutable headers = response.getHeaders();
    putRepresentation(headers, bytes, range == null);
    if (range != null) {
      response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
      headers.put(HttpHeader.CONTENT_RANGE, range.toHeaderValue(bytes.size()));
    }
    headers.put(HttpHeader.CONTENT_LENGTH, length);
  }

  /** A bundle never downloaded expires; this one now has been. Failing to note it must not fail the download. */
  private void recordFirstDownload(BundleRecord record) {
    if (record.firstDownloadedAt().isEmpty()) {
      try {
        store.recordFirstDownload(record.id());
      } catch (IOException e) {
        log.warn("Could not record the first download of bundle {}: {}", record.id(), e.toString());
      }
    }
  }

  /**
   * The single range to send, or null for the whole bundle. Several ranges, or an {@code If-Range}
   * that no longer matches, get the whole bundle, as RFC 9110 allows.
   */
  private static ByteRange requestedRange(HttpFields requestHeaders, Representation bytes) {
    List<String> ranges = requestHeaders.getValuesList(HttpHeader.RANGE);
    if (ranges.isEmpty()) {
      return null;
    }
    String ifRange = requestHeaders.get(HttpHeader.IF_RANGE);
    if (ifRange != null && !ifRange.equals(bytes.etag())) {
      return null;
    }
    List<ByteRange> parsed = ByteRange.parse(ranges, bytes.size());
    if (parsed.isEmpty()) {
      throw new RangeNotSatisfiable(bytes.size());
    }
    return parsed.size() == 1 ? parsed.get(0) : null;
  }

  /** All download slots are taken: the client should come back shortly, when a download ends. */
  private static final class Busy extends StagingException {
    static final long RETRY_AFTER_SECONDS = 2;

    Busy(int max) {
      super(Problem.UNAVAILABLE, "the server is streaming as many downloads as it may at once (" + max + "); retry shortly");
    }
  }

  /** 416 must say how long the bundle is, so that the client can ask again correctly. */
  private static final class RangeNotSatisfiable extends StagingException {
    private final long size;

    RangeNotSatisfiable(long size) {
      super(Problem.RANGE_NOT_SATISFIABLE, "the requested range lies outside the bundle's " + size + " bytes");
      this.size = size;
    }
  }
}
