package io.sparkstaging.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.Test;

class HttpServerFactoryTest {
  @Test
  void aDownloadReadBufferIsReusedNotAllocatedAgain() {
    ArrayByteBufferPool pool = HttpServerFactory.bufferPool();

    RetainableByteBuffer first = pool.acquire(HttpServerFactory.LARGEST_POOLED_BUFFER, true);
    first.release();

    // Jetty's default pool keeps nothing over 64 KiB: the released buffer would be dropped.
    assertThat(pool.getAvailableDirectByteBufferCount()).isEqualTo(1);
    RetainableByteBuffer second = pool.acquire(HttpServerFactory.LARGEST_POOLED_BUFFER, true);
    assertThat(pool.getAvailableDirectByteBufferCount()).isZero();
    second.release();
  }
}
