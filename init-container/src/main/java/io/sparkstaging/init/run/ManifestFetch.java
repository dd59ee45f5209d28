package io.sparkstaging.init.run;

import io.sparkstaging.common.text.OneLine;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Manifest;
import io.sparkstaging.common.wire.ManifestFile;
import io.sparkstaging.common.wire.ReprDigest;
import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.TarLayout;
import io.sparkstaging.init.config.InitConfig.ExtractLimits;
import io.sparkstaging.init.extract.ManifestFiles;
import io.sparkstaging.init.fetch.ResumableBody;
import io.sparkstaging.init.fetch.ResumableBody.ContentRange;
import io.sparkstaging.init.verify.ContentRejected;
import io.sparkstaging.init.verify.SpanVerifyingInputStream;
import io.sparkstaging.init.verify.SpanVerifyingInputStream.Span;
import io.sparkstaging.init.verify.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches a bundle staged by digest, its files shared out among as many threads as the pod has
 * cores (at least two), each file streamed into its place, hashed on the way and checked against
 * the manifest's digest, and written once. The files come either as ranges of the bundle's tar,
 * one range of consecutive files per thread (a few requests rather than one a file: in a cold JVM
 * each exchange costs, docs/benchmarks.md), or, when the server redirects them to the object
 * store, one by one from there. The manifest itself is checked against the bundle's entity tag,
 * the digest the client committed. One failure stops the rest; the caller discards the slot, so
 * nothing half-fetched is used.
 */
final class ManifestFetch {
  private static final long MAX_MANIFEST_BYTES = 64L << 20;
  private static final int MIN_THREADS = 2;
  /** One receives and hashes, the other unpacks and writes. */
  private static final int THREADS_PER_RANGE = 2;

  /** Opens a download with the given headers, registered for cancelling. */
  @FunctionalInterface
  interface Opener {
    ResumableBody open(URI uri, Map<String, String> headers) throws IOException;
  }

  /** Opens bytes {@code first} to {@code last} (inclusive) of the download tagged {@code etag}, registered for cancelling. */
  @FunctionalInterface
  interface RangeOpener {
    ResumableBody open(URI uri, Map<String, String> headers, String etag, long first, long last) throws IOException;
  }

  private final Opener opener;
  private final RangeOpener rangeOpener;
  private final ExtractLimits limits;

  ManifestFetch(Opener opener, RangeOpener rangeOpener, ExtractLimits limits) {
    this.opener = opener;
    this.rangeOpener = rangeOpener;
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

  /**
   * @param bundle the bundle's download, whose answer was {@code answer}: its manifest, read
   * @return the bytes fetched
   */
  long fetch(URI server, URI bundle, String resourceId, String secret, Manifest manifest, ResumableBody answer, Path slot)
      throws IOException {
    List<ManifestFile> files = manifest.files();
    if (files.isEmpty()) {
      return 0;
    }
    var writer = new ManifestFiles(slot);
    boolean redirected = answer.header(Headers.FILE_DOWNLOADS).filter(Headers.FILE_DOWNLOADS_REDIRECTED::equals).isPresent();
    Optional<String> etag = answer.etag();
    if (!redirected && etag.isPresent()) {
      Optional<List<Callable<Long>>> ranges = openRanges(bundle, secret, etag.get(), files, writer);
      if (ranges.isPresent()) {
        return runAll(ranges.get());
      }
    }
    return runAll(files.stream().<Callable<Long>>map(file -> () -> fetchFile(
        URI.create(server + Routes.v1BundleBlob(resourceId, file.sha256())), secret, file, writer)).toList());
  }

  /**
   * Asks for one range of the bundle's tar per share of the files, before reading any, so that a
   * server that does not answer each with exactly that range (one that serves no ranges, or an
   * older one that laid the tar out otherwise) is found out before anything is written: the files
   * are then fetched one by one instead.
   */
  private Optional<List<Callable<Long>>> openRanges(URI bundle, String secret, String etag, List<ManifestFile> files,
      ManifestFiles writer) throws IOException {
    TarLayout layout = TarLayout.of(files);
    Map<String, String> headers = Map.of(Headers.AUTHORIZATION, Headers.bearer(secret), "Accept", "application/octet-stream");
    int shares = Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors() / THREADS_PER_RANGE));
    List<Callable<Long>> tasks = new ArrayList<>();
    List<ResumableBody> opened = new ArrayList<>();
    try {
      int from = 0;
      for (int share = 0; share < shares; share++) {
        int to = endOfShare(files, from, shares - share);
        long first = layout.start(from);
        long last = layout.end(to - 1) - 1;
        ResumableBody body = rangeOpener.open(bundle, headers, etag, first, last);
        opened.add(body);
        if (!body.contentRange().filter(range -> isRange(range, first, last, layout.size())).isPresent()) {
          opened.forEach(ResumableBody::close);
          return Optional.empty();
        }
        var spans = new ArrayList<Span>();
        for (int i = from; i < to; i++) {
          ManifestFile file = files.get(i);
          spans.add(new Span(file.name(), layout.dataStart(i) - first, file.size(), file.sha256()));
        }
        List<ManifestFile> itsFiles = files.subList(from, to);
        tasks.add(() -> unpack(body, spans, itsFiles, writer));
        from = to;
      }
      return Optional.of(tasks);
    } catch (IOException | RuntimeException e) {
      opened.forEach(ResumableBody::close);
      throw e;
    }
  }

  /** Compared field by field: a record's first equals spins method handles, which compete with the fetch for the JIT. */
  private static boolean isRange(ContentRange range, long first, long last, long complete) {
    return range.first() == first && range.last() == last && range.complete().isPresent() && range.complete().getAsLong() == complete;
  }

  /**
   * Where the share that starts at {@code from} ends: about an equal part of the bytes left, of
   * {@code shares} parts, leaving at least one file for each later share.
   */
  private static int endOfShare(List<ManifestFile> files, int from, int shares) {
    if (shares == 1) {
      return files.size();
    }
    long left = 0;
    for (int i = from; i < files.size(); i++) {
      left += files.get(i).size();
    }
    long wanted = left / shares;
    int to = from + 1;
    long taken = files.get(from).size();
    while (to < files.size() - (shares - 1) && taken + files.get(to).size() / 2 <= wanted) {
      taken += files.get(to).size();
      to++;
    }
    return to;
  }

  /**
   * Writes a range's files, each entry checked to be the one the manifest puts there. As for a
   * whole tar ({@link DependencyFetcher}), receiving and hashing run a buffer ahead, on a thread
   * of their own, of unpacking and writing.
   */
  private static long unpack(ResumableBody range, List<Span> spans, List<ManifestFile> files, ManifestFiles writer) throws IOException {
    var verifying = new SpanVerifyingInputStream(range, spans);
    try (range; InputStream ahead = DependencyFetcher.readAhead(verifying); var tar = new TarArchiveInputStream(ahead)) {
      long bytes = 0;
      for (ManifestFile file : files) {
        TarArchiveEntry entry = tar.getNextEntry();
        if (entry == null || !entry.isFile() || !entry.getName().equals(file.name()) || entry.getSize() != file.size()) {
          throw new ContentRejected("file '" + file.name() + "': the bundle's tar holds " + (entry == null ? "nothing"
              : "'" + OneLine.of(entry.getName(), 200) + "' (" + entry.getSize() + " bytes)") + " where its manifest puts this file");
        }
        writer.write(file, tar);
        bytes += file.size();
      }
      ahead.transferTo(OutputStream.nullOutputStream());
      verifying.requireAllChecked();
      return bytes;
    }
  }

  private long fetchFile(URI uri, String secret, ManifestFile file, ManifestFiles writer) throws IOException {
    try (ResumableBody body = opener.open(uri, Map.of(Headers.AUTHORIZATION, Headers.bearer(secret)))) {
      return writeVerified(file, body, writer);
    }
  }

  /** Checked against the manifest, which the client committed, not against what the answer says. */
  private static long writeVerified(ManifestFile file, InputStream content, ManifestFiles writer) throws IOException {
    var verifying = new VerifyingInputStream(content);
    try {
      writer.write(file, verifying);
      verifying.verifyToEnd(OptionalLong.of(file.size()), Optional.of(ReprDigest.format(file.sha256())));
      return verifying.count();
    } catch (ContentRejected e) {
      throw new ContentRejected("file '" + file.name() + "': " + e.getMessage());
    }
  }

  /** One fetch per core, at least two so that one receives while another writes; more only contended on 2 cores (docs/benchmarks.md). */
  private static int threads(int tasks) {
    return Math.max(1, Math.min(tasks, Math.max(MIN_THREADS, Runtime.getRuntime().availableProcessors())));
  }

  private static long runAll(List<Callable<Long>> tasks) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads(tasks.size()), runnable -> {
      Thread thread = new Thread(runnable, "init-file");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Long>> running = tasks.stream().map(pool::submit).toList();
      long bytes = 0;
      for (Future<Long> one : running) {
        bytes += one.get();
      }
      return bytes;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("fetching a file failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching the bundle's files");
    } finally {
      pool.shutdownNow();
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
