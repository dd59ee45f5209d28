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

/**
 * A download's body as one continuous stream, whatever happens to the connections beneath it: when
 * one breaks, it waits (see {@link RetryPolicy}) and asks again from where it stopped, with {@code
 * Range} and {@code If-Range}. A server that ignores the range answers with the whole body again,
 * and the part already read is skipped; one whose content changed meanwhile is a failure.
 */
public final class ResumableBody extends InputStream {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

  private final HttpFetcher fetcher;
  private final URI uri;
  private final Map<String, String> headers;
  private final Deadline deadline;
  private final RetryPolicy retries;
  private final OptionalLong length;
  private final Optional<String> etag;
  private final Optional<String> reprDigest;
  private final Optional<String> contentType;
  private InputStream current;
  private long position;
  /** Set by {@link #close} from another thread to stop a download in progress. */
  private volatile boolean closed;

  private ResumableBody(HttpFetcher fetcher, URI uri, Map<String, String> headers, Deadline deadline, RetryPolicy retries,
      HttpFetcher.Answer first) {
    this.fetcher = fetcher;
    this.uri = uri;
    this.headers = headers;
    this.deadline = deadline;
    this.retries = retries;
    this.current = first.body();
    this.length = first.contentLength();
    this.etag = first.header("ETag");
    this.reprDigest = first.header("Repr-Digest");
    this.contentType = first.header("Content-Type");
  }

  /** Opens the download, retrying connection failures and 5xx answers until the deadline. */
  public static ResumableBody open(HttpFetcher fetcher, URI uri, Map<String, String> headers, Deadline deadline, RetryPolicy retries)
      throws FetchFailure {
    while (true) {
      try {
        return new ResumableBody(fetcher, uri, headers, deadline, retries, fetcher.get(uri, headers, deadline));
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
    rangeHeaders.put("Range", "bytes=" + position + "-");
    etag.ifPresent(tag -> rangeHeaders.put("If-Range", tag));
    HttpFetcher.Answer response = fetcher.get(uri, rangeHeaders, deadline);
    Optional<String> newTag = response.header("ETag");
    if (etag.isPresent() && newTag.isPresent() && !etag.equals(newTag)) {
      closeQuietly(response.body());
      throw new FetchFailure(FetchFailure.Kind.REFUSED, "the content changed while it was being downloaded");
    }
    if (response.status() == 206) {
      Matcher range = CONTENT_RANGE.matcher(response.header("Content-Range").orElse(""));
      if (range.matches() && Long.parseLong(range.group(1)) == position) {
        return response.body();
      }
      closeQuietly(response.body());
      throw new FetchFailure(FetchFailure.Kind.NETWORK, "the server resumed at the wrong offset");
    }
    InputStream whole = response.body();
    try {
      whole.skipNBytes(position);
    } catch (IOException e) {
      closeQuietly(whole);
      throw new FetchFailure(FetchFailure.Kind.NETWORK, "download broke while skipping to byte " + position, e);
    }
    return whole;
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
