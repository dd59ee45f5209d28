package io.sparkstaging.init.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * A download's body as one continuous stream, whatever happens to the connections beneath it: when
 * one breaks, it waits (see {@link RetryPolicy}) and asks again from where it stopped, with {@code
 * Range} and {@code If-Range}. A server that ignores the range answers with the whole body again,
 * and the part already read is skipped; one whose content changed meanwhile is a failure. It may
 * also be one range of the download, which then resumes within that range.
 */
public final class ResumableBody extends InputStream {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  /** What a {@code 206} answer says it holds: bytes {@code first} to {@code last}, inclusive, of {@code complete} if known. */
  public record ContentRange(long first, long last, OptionalLong complete) {
    static Optional<ContentRange> parse(HttpFetcher.Answer answer) {
      Matcher range = CONTENT_RANGE.matcher(answer.header("Content-Range").orElse(""));
      if (answer.status() != 206 || !range.matches()) {
        return Optional.empty();
      }
      OptionalLong complete = range.group(3).equals("*") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(range.group(3)));
      return Optional.of(new ContentRange(Long.parseLong(range.group(1)), Long.parseLong(range.group(2)), complete));
    }
  }

  private final HttpFetcher fetcher;
  private final URI uri;
  private final Map<String, String> headers;
  private final Deadline deadline;
  private final RetryPolicy retries;
  /** Where this body starts in the download, and where it ends, inclusive, if it is a range. */
  private final long first;
  private final OptionalLong last;
  private final OptionalLong length;
  private final Optional<String> etag;
  private final Optional<String> reprDigest;
  private final Optional<String> contentType;
  private final Optional<ContentRange> contentRange;
  private final Map<String, String> answerHeaders;
  private InputStream current;
  /** Bytes read, from {@link #first}. */
  private long position;
  /** Set by {@link #close} from another thread to stop a download in progress. */
  private volatile boolean closed;

  private ResumableBody(HttpFetcher fetcher, URI uri, Map<String, String> headers, Deadline deadline, RetryPolicy retries, long first,
      OptionalLong last, HttpFetcher.Answer answer) {
    this.fetcher = fetcher;
    this.uri = uri;
    this.headers = headers;
    this.deadline = deadline;
    this.retries = retries;
    this.first = first;
    this.last = last;
    this.current = answer.body();
    this.length = answer.contentLength();
    this.etag = answer.header("ETag");
    this.reprDigest = answer.header("Repr-Digest");
    this.contentType = answer.header("Content-Type");
    this.contentRange = ContentRange.parse(answer);
    this.answerHeaders = answer.headers();
  }

  /** Opens the download, retrying connection failures and 5xx answers until the deadline. */
  public static ResumableBody open(HttpFetcher fetcher, URI uri, Map<String, String> headers, Deadline deadline, RetryPolicy retries)
      throws FetchFailure {
    return open(fetcher, uri, headers, Map.of(), deadline, retries, 0, OptionalLong.empty());
  }

  /**
   * Opens bytes {@code first} to {@code last}, inclusive, of the download whose entity tag is
   * {@code etag}, as {@link #open} does. The answer may still be the whole download (a server
   * that serves no ranges, or whose content is no longer {@code etag}): a caller that needs the
   * range checks {@link #contentRange}.
   */
  public static ResumableBody openRange(HttpFetcher fetcher, URI uri, Map<String, String> headers, String etag, long first, long last,
      Deadline deadline, RetryPolicy retries) throws FetchFailure {
    return open(fetcher, uri, headers, Map.of("Range", "bytes=" + first + "-" + last, "If-Range", etag), deadline, retries, first,
        OptionalLong.of(last));
  }

  private static ResumableBody open(HttpFetcher fetcher, URI uri, Map<String, String> headers, Map<String, String> firstOnly,
      Deadline deadline, RetryPolicy retries, long first, OptionalLong last) throws FetchFailure {
    var request = new HashMap<>(headers);
    request.putAll(firstOnly);
    while (true) {
      try {
        return new ResumableBody(fetcher, uri, headers, deadline, retries, first, last, fetcher.get(uri, request, deadline));
      } catch (FetchFailure failure) {
        retries.pauseAfter(failure);
      }
    }
  }

  /** The size the server announced, if it did. */
  public OptionalLong length() {
    return length;
  }

  public Optional<String> contentType() {
    return contentType;
  }

  /** The server's {@code ETag} header, if it sent one. */
  public Optional<String> etag() {
    return etag;
  }

  /** A header of the first answer. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(answerHeaders.get(name));
  }

  /** What the first answer said it holds, if it was a range. */
  public Optional<ContentRange> contentRange() {
    return contentRange;
  }

  /** The server's {@code Repr-Digest} header, if it sent one. */
  public Optional<String> reprDigest() {
    return reprDigest;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) throws IOException {
    while (true) {
      if (closed) {
        throw new IOException("download closed");
      }
      try {
        int read = current.read(buffer, offset, count);
        if (read > 0) {
          position += read;
          return read;
        }
        if (read < 0 && length.isPresent() && position < length.getAsLong()) {
          throw new IOException("connection closed after " + position + " of " + length.getAsLong() + " bytes");
        }
        return read;
      } catch (IOException broken) {
        if (closed) {
          throw broken;
        }
        resume(new FetchFailure(FetchFailure.Kind.NETWORK, "download broke after " + position + " bytes: "
            + HttpFetcher.describe(broken), broken));
      }
    }
  }

  private void resume(FetchFailure why) throws FetchFailure {
    closeQuietly(current);
    while (true) {
      retries.pauseAfter(why);
      try {
        current = reopen();
        return;
      } catch (FetchFailure failure) {
        why = failure;
      }
    }
  }

  private InputStream reopen() throws FetchFailure {
    var rangeHeaders = new HashMap<>(headers);
    long from = first + position;
    rangeHeaders.put("Range", "bytes=" + from + "-" + (last.isPresent() ? last.getAsLong() : ""));
    etag.ifPresent(tag -> rangeHeaders.put("If-Range", tag));
    HttpFetcher.Answer response = fetcher.get(uri, rangeHeaders, deadline);
    Optional<String> newTag = response.header("ETag");
    if (etag.isPresent() && newTag.isPresent() && !etag.equals(newTag)) {
      closeQuietly(response.body());
      throw new FetchFailure(FetchFailure.Kind.REFUSED, "the content changed while it was being downloaded");
    }
    InputStream resumed = response.body();
    try {
      if (response.status() == 206) {
        if (ContentRange.parse(response).filter(range -> range.first() == from).isEmpty()) {
          throw new FetchFailure(FetchFailure.Kind.NETWORK, "the server resumed at the wrong offset");
        }
      } else {
        resumed.skipNBytes(from);
      }
      // A range ends where it was asked to, even where the server sends more.
      return last.isEmpty() ? resumed : BoundedInputStream.builder().setInputStream(resumed).setMaxCount(last.getAsLong() + 1 - from).get();
    } catch (FetchFailure failure) {
      closeQuietly(resumed);
      throw failure;
    } catch (IOException e) {
      closeQuietly(resumed);
      throw new FetchFailure(FetchFailure.Kind.NETWORK, "download broke while skipping to byte " + from, e);
    }
  }

  /** Closing also makes a read blocked in another thread fail, which is how a run is cancelled. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(current);
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // Nothing more to read from it either way.
    }
  }
}
