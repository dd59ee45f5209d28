package io.sparkstaging.init.run;

import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ReprDigest;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.extract.ManifestFiles;
import io.sparkstaging.init.fetch.ResumableBody;
import io.sparkstaging.init.verify.ContentRejected;
import io.sparkstaging.init.verify.VerifyingInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fetches a bundle staged by digest file by file, on as many threads as the pod has cores (at
 * least two): each
 * file streams from the server (or the object store it redirects to) into its place, hashed on the
 * way and checked against the manifest's digest, and is written once. The manifest itself is
 * checked against the bundle's entity tag, the digest the client committed. One failure stops the
 * rest; the caller discards the slot, so nothing half-fetched is used.
 */
final class ManifestFetch {
  private static final long MAX_MANIFEST_BYTES = 64L << 20;
  private static final int MIN_THREADS = 2;

  /** Opens a download with the given headers, registered for cancelling. */
  @FunctionalInterface
  interface Opener {
    ResumableBody open(URI uri, Map<String, String> headers) throws IOException;
  }

  private final Opener opener;
  private final ExtractLimits limits;

  ManifestFetch(Opener opener, ExtractLimits limits) {
    this.opener = opener;
    this.limits = limits;
  }

  /** Reads the manifest from the bundle's answer, and checks it. */
  Manifest read(ResumableBody answer) throws IOException {
    byte[] text = answer.readNBytes((int) MAX_MANIFEST_BYTES + 1);
    if (text.length > MAX_MANIFEST_BYTES) {
      throw new ContentRejected("the bundle's manifest is larger than " + (MAX_MANIFEST_BYTES >> 20) + " MiB");
    }
    String expected = answer.etag().map(tag -> tag.replace("\"", "")).orElse("");
    String actual = sha256(text);
    if (!actual.equals(expected)) {
      throw new ContentRejected("the bundle's manifest hashes to " + actual + ", not to its entity tag " + expected);
    }
    Manifest manifest;
    try {
      manifest = Manifest.parse(new String(text, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new ContentRejected("the bundle's manifest is malformed: " + e.getMessage());
    }
    Optional<String> problem = manifest.problem(limits.maxEntries());
    if (problem.isPresent()) {
      throw new ContentRejected("the bundle's manifest is refused: " + problem.get());
    }
    if (manifest.totalSize() > limits.maxUnpackedBytes()) {
      throw new ContentRejected("the bundle's files add up to more than " + limits.maxUnpackedBytes() + " bytes (--max-unpacked-size)");
    }
    return manifest;
  }

  /** @return the bytes fetched */
  long fetch(URI server, String resourceId, String secret, Manifest manifest, Path slot) throws IOException {
    List<ManifestFile> files = manifest.files();
    var writer = new ManifestFiles(slot);
    // One fetch per core, at least two so that one receives while another writes; more only contended on 2 cores (docs/benchmarks.md).
    int threads = Math.max(1, Math.min(files.size(), Math.max(MIN_THREADS, Runtime.getRuntime().availableProcessors())));
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "init-file");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Long>> fetched = files.stream().map(file -> pool.submit(() -> {
        try {
          return fetch(URI.create(server + Routes.v1BundleBlob(resourceId, file.sha256())), secret, file, writer);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      })).toList();
      long bytes = 0;
      for (Future<Long> one : fetched) {
        bytes += one.get();
      }
      return bytes;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IOException("fetching a file failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching the bundle's files");
    } finally {
      pool.shutdownNow();
    }
  }

  private long fetch(URI uri, String secret, ManifestFile file, ManifestFiles writer) throws IOException {
    try (ResumableBody body = opener.open(uri, Map.of(Headers.AUTHORIZATION, Headers.bearer(secret)));
        var verifying = new VerifyingInputStream(body)) {
      writer.write(file, verifying);
      // Checked against the manifest, which the client committed, not against what this answer says.
      verifying.verifyToEnd(OptionalLong.of(file.size()), Optional.of(ReprDigest.format(file.sha256())));
      return verifying.count();
    } catch (ContentRejected e) {
      throw new ContentRejected("file '" + file.name() + "': " + e.getMessage());
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
