package io.sparkstaging.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.server.support.Bundles;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackgroundSha256Test {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void buffersAreHashedInTheOrderGivenWhateverThreadsRunThem() {
    byte[] content = Bundles.random(3_000_000, 5);
    var hash = new BackgroundSha256(pool);
    var random = new Random(5);
    for (int offset = 0; offset < content.length; ) {
      int length = Math.min(content.length - offset, 1 + random.nextInt(70_000));
      // A fresh copy each time, as a caller may refill its buffer once the update completes.
      hash.update(Arrays.copyOfRange(content, offset, offset + length), length);
      offset += length;
    }

    assertThat(hash.hex()).isEqualTo(Bundles.sha256Hex(content));
  }

  @Test
  void nothingHashedIsTheDigestOfNothing() {
    assertThat(new BackgroundSha256(pool).hex()).isEqualTo(Bundles.sha256Hex(new byte[0]));
  }
}
