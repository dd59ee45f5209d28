package io.sparkstaging.server.upload;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Abandons an upload whose average rate stays below a floor, so that a client trickling a byte now
 * and then (never idle long enough for the idle timeout) cannot hold a thread for hours.
 *
 * <p>The average is measured from the first read and checked only after a grace period: a small
 * body or a slow start is never refused. (Jetty's own minimum data rate counts server-side
 * processing time too, and refuses small bodies that took a few milliseconds to handle.)
 */
final class MinimumRateInputStream extends FilterInputStream {
  static final long GRACE_NANOS = 10_000_000_000L;

  private final long minBytesPerSecond;
  private final LongSupplier nanoTime;
  private long started = Long.MIN_VALUE;
  private long bytes;

  MinimumRateInputStream(InputStream in, long minBytesPerSecond, LongSupplier nanoTime) {
    super(in);
    this.minBytesPerSecond = minBytesPerSecond;
    this.nanoTime = nanoTime;
  }

  static InputStream wrap(InputStream in, long minBytesPerSecond) {
    return minBytesPerSecond > 0 ? new MinimumRateInputStream(in, minBytesPerSecond, System::nanoTime) : in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (started == Long.MIN_VALUE) {
      started = nanoTime.getAsLong();
    }
    int read = super.read(buffer, offset, length);
    if (read > 0) {
      bytes += read;
      long elapsed = nanoTime.getAsLong() - started;
      if (elapsed > GRACE_NANOS && bytes < minBytesPerSecond * (elapsed / 1_000_000_000L)) {
        throw new StagingException(Problem.TOO_SLOW,
            "the upload is slower than the " + minBytesPerSecond + " bytes per second this server requires");
      }
    }
    return read;
  }
}
