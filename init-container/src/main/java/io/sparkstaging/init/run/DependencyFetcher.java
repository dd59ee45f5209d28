package io.sparkstaging.init.run;

import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.extract.SafeTarExtractor;
import io.sparkstaging.init.fetch.Deadline;
import io.sparkstaging.init.fetch.FetchFailure;
import io.sparkstaging.init.fetch.HttpFetcher;
import io.sparkstaging.init.fetch.ResumableBody;
import io.sparkstaging.init.fetch.RetryPolicy;
import io.sparkstaging.init.verify.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.io.input.ReadAheadInputStream;

/**
 * Fetches one dependency into its staging slot: streams it straight from the network into the
 * extractor (or the file), counting and hashing on the way, and verifies it at the end.
 */
final class DependencyFetcher {
  private static final Duration FIRST_RETRY = Duration.ofMillis(200);
  private static final Duration MAX_RETRY = Duration.ofSeconds(10);
  private static final int READ_AHEAD_BYTES = 1024 * 1024;

  private final HttpFetcher http;
  private final ExtractLimits limits;
  private final Deadline deadline;
  private final Set<ResumableBody> open = ConcurrentHashMap.newKeySet();
  private final ManifestFetch byFile;

  DependencyFetcher(HttpFetcher http, ExtractLimits limits, Deadline deadline) {
    this.http = http;
    this.limits = limits;
    this.deadline = deadline;
    this.byFile = new ManifestFetch(this::open, this::openRange, limits);
  }

  /** What a fetch brought, for the progress line. */
  record Fetched(long bytes, int files) {}

  Fetched fetch(Dependency dependency, Path slot) throws IOException {
    if (dependency instanceof Dependency.StagedBundle bundle) {
      // The secret goes into a header and nowhere else: not into messages, not into logs.
      String secret = Files.readString(bundle.ref().secretFile(), StandardCharsets.UTF_8).strip();
      try (ResumableBody body = openBundle(bundle, secret)) {
        if (body.contentType().filter(type -> type.startsWith(Manifest.MEDIA_TYPE)).isPresent()) {
          Manifest manifest = byFile.read(body);
          return new Fetched(byFile.fetch(bundle.server(), bundle.downloadUri(), bundle.ref().resourceId(), secret, manifest, body, slot),
              manifest.files().size());
        }
        try (var verifying = new VerifyingInputStream(body); InputStream ahead = readAhead(verifying)) {
          int files = new SafeTarExtractor(limits).extract(ahead, slot);
          verifying.verifyToEnd(body.length(), body.reprDigest());
          return new Fetched(verifying.count(), files);
        }
      }
    }
    var remote = (Dependency.RemoteFile) dependency;
    try (ResumableBody body = open(remote.uri(), Map.of());
        var verifying = new VerifyingInputStream(body);
        InputStream ahead = readAhead(verifying);
        OutputStream out = Files.newOutputStream(slot.resolve(remote.fileName().orElseThrow()), StandardOpenOption.CREATE_NEW)) {
      ahead.transferTo(out);
      verifying.verifyToEnd(body.length(), body.reprDigest());
      return new Fetched(verifying.count(), 1);
    }
  }

  /**
   * Receiving and hashing run on a thread of their own, a buffer ahead of unpacking and writing,
   * so that a fetch uses two cores as {@code curl | tar -x} does: on one thread, hashing and file
   * writes took turns (docs/benchmarks.md has the figures). The consumer sees the end of the
   * stream only after the last read-ahead, so the digest is complete when it is checked.
   */
  static InputStream readAhead(InputStream in) throws IOException {
    return ReadAheadInputStream.builder().setInputStream(in).setBufferSize(READ_AHEAD_BYTES).get();
  }

  /**
   * Through v1, so that a server on an object store can redirect the download there, accepting a
   * manifest for a bundle staged by digest. A server that answers that route with a 404 lacking
   * {@link Headers#API} is the original one, which knows only v0: the bundle is fetched through
   * v0 instead, the secret sent bare as it expects.
   */
  private ResumableBody openBundle(Dependency.StagedBundle bundle, String secret) throws IOException {
    try {
      return open(bundle.downloadUri(),
          Map.of(Headers.AUTHORIZATION, Headers.bearer(secret), "Accept", Manifest.MEDIA_TYPE + ", application/octet-stream;q=0.5"));
    } catch (FetchFailure failure) {
      if (!failure.routeUnknown()) {
        throw failure;
      }
      return open(bundle.originalDownloadUri(), Map.of(Headers.AUTHORIZATION, secret));
    }
  }

  private ResumableBody open(java.net.URI uri, Map<String, String> headers) throws IOException {
    ResumableBody body = ResumableBody.open(http, uri, headers, deadline, new RetryPolicy(FIRST_RETRY, MAX_RETRY, deadline));
    open.add(body);
    return body;
  }

  private ResumableBody openRange(java.net.URI uri, Map<String, String> headers, String etag, long first, long last) throws IOException {
    ResumableBody body =
        ResumableBody.openRange(http, uri, headers, etag, first, last, deadline, new RetryPolicy(FIRST_RETRY, MAX_RETRY, deadline));
    open.add(body);
    return body;
  }

  /** Breaks every download in progress, so that their threads stop promptly. */
  void cancelAll() {
    open.forEach(ResumableBody::close);
  }
}
