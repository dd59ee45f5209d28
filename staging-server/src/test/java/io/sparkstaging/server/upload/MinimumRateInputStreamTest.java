package io.sparkstaging.server.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MinimumRateInputStreamTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong();

  /** Each read returns {@code chunk} bytes and {@code secondsPerRead} pass. */
  private InputStream source(int chunk, long secondsPerRead) {
    return new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        now.addAndGet(secondsPerRead * SECOND);
        return Math.min(chunk, len);
      }
    };
  }

  @Test
  void aSmallBodyThatTookAWhileToHandleIsNeverRefused() throws IOException {
    var in = new MinimumRateInputStream(new ByteArrayInputStream(new byte[5]), 1024, now::get);
    now.addAndGet(SECOND);

    assertThat(in.readAllBytes()).hasSize(5);
  }

  @Test
  void aTrickleIsAbandonedAfterTheGracePeriod() {
    var in = new MinimumRateInputStream(source(1, 5), 1024, now::get);
    byte[] buffer = new byte[100];

    assertThatThrownBy(() -> {
      for (int i = 0; i < 10; i++) {
        in.read(buffer, 0, buffer.length);
      }
    }).isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TOO_SLOW));
    assertThat(now.get()).isGreaterThan(MinimumRateInputStream.GRACE_NANOS);
  }

  @Test
  void aSteadyTransferAboveTheFloorGoesOn() throws IOException {
    var in = new MinimumRateInputStream(source(4096, 1), 1024, now::get);
    byte[] buffer = new byte[4096];
    for (int i = 0; i < 100; i++) {
      assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(4096);
    }
  }
}
