package io.sparkstaging.init.verify;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Hashes the files whose bytes lie at known places in a stream (a range of a bundle's tar, where
 * its manifest and {@link io.sparkstaging.common.wire.TarLayout} put them), and checks each
 * against its digest as soon as its last byte has passed, so that bytes the manifest did not list
 * are caught while they are still being read, before the fetch is declared done.
 */
public final class SpanVerifyingInputStream extends FilterInputStream {
  /** A file's bytes: {@code size} of them from {@code offset} of the stream, which must hash to {@code sha256}. */
  public record Span(String name, long offset, long size, String sha256) {
    long end() {
      return offset + size;
    }
  }

  private final List<Span> spans;
  private final MessageDigest digest;
  private int next;
  private long position;

  /** @param spans in the order of their offsets, none overlapping */
  public SpanVerifyingInputStream(InputStream in, List<Span> spans) {
    super(in);
    this.spans = spans;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int read = in.read(buffer, offset, length);
    long start = position;
    long end = position + Math.max(read, 0);
    position = end;
    while (next < spans.size()) {
      Span span = spans.get(next);
      long from = Math.max(start, span.offset());
      long to = Math.min(end, span.end());
      if (from < to) {
        digest.update(buffer, offset + (int) (from - start), (int) (to - from));
      }
      if (end < span.end()) {
        break;
      }
      check(span);
      next++;
    }
    return read;
  }

  /** Skipped bytes are read, so that they still pass through the digests. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Fails unless every file's bytes have passed and matched: call once the stream was read to its end. */
  public void requireAllChecked() throws ContentRejected {
    if (next < spans.size()) {
      Span missing = spans.get(next);
      throw new ContentRejected("file '" + missing.name() + "': the download ended after " + position + " bytes, before the file's "
          + missing.size() + " bytes from byte " + missing.offset() + " were all received");
    }
  }

  private void check(Span span) throws ContentRejected {
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(span.sha256())) {
      throw new ContentRejected("file '" + span.name() + "': SHA-256 of the received bytes is " + actual + " but the manifest says "
          + span.sha256());
    }
  }
}
