package io.sparkstaging.init.verify;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;

/**
 * Hashes the files whose bytes lie at known places in a stream (a range of a bundle's tar, where
 * its manifest and {@link io.sparkstaging.common.wire.TarLayout} put them), and checks each
 * against its digest as soon as its last byte has passed, so that bytes the manifest did not list
 * are caught while they are still being read, before the fetch is declared done.
 */
public final class SpanVerifyingInputStream extends HashingInputStream {
  /** A file's bytes: {@code size} of them from {@code offset} of the stream, which must hash to {@code sha256}. */
  public record Span(String name, long offset, long size, String sha256) {
    long end() {
      return offset + size;
    }
  }

  private final List<Span> spans;
  private int next;
  private long position;

  /** @param spans in the order of their offsets, none overlapping */
  public SpanVerifyingInputStream(InputStream in, List<Span> spans) {
    super(in);
    this.spans = spans;
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
        sha256.update(buffer, offset + (int) (from - start), (int) (to - from));
      }
      if (end < span.end()) {
        break;
      }
      check(span);
      next++;
    }
    return read;
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
    String actual = HexFormat.of().formatHex(sha256.digest());
    if (!actual.equals(span.sha256())) {
      throw new ContentRejected("file '" + span.name() + "': SHA-256 of the received bytes is " + actual + " but the manifest says "
          + span.sha256());
    }
  }
}
