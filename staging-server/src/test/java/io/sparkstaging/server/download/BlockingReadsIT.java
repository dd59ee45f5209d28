package io.sparkstaging.server.download;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkstaging.server.StagingServer;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.store.LocalBundleStore;
import io.sparkstaging.server.support.Bundles;
import io.sparkstaging.server.support.ForwardingBundleStore;
import io.sparkstaging.server.support.ForwardingChannel;
import io.sparkstaging.server.support.JdkClient;
import io.sparkstaging.server.support.TestSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose reads wait on the network (S3) must not hold up other downloads while one read
 * waits: Jetty would run a download's next read on its selector thread, which every connection
 * needs. Found by the replicas benchmark: 200 downloads through one S3-backed server stalled.
 */
class BlockingReadsIT {
  /** Past what the sockets buffer, so that the download reaches it through writes Jetty completes asynchronously. */
  private static final int STALL_AT = 16 << 20;
  @TempDir
  Path dataDir;
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile BundleId stalled;

  @Test
  void aDownloadWaitingOnTheStoreDoesNotHoldUpAnother() throws Exception {
    try (var local = LocalBundleStore.open(dataDir, 0, Clock.systemUTC(), Duration.ofHours(1));
        var server = StagingServer.start(new TestSettings().toConfig(dataDir), new StallingStore(local), Clock.systemUTC(), Map.of())) {
      String base = "http://127.0.0.1:" + server.port();
      byte[] content = Bundles.random(24 << 20, 4);
      var slow = new JdkClient().upload(base, content);
      var fast = new JdkClient().upload(base, content);
      stalled = new BundleId(slow.get("resourceId").asText());
      HttpClient http = HttpClient.newHttpClient();

      try (InputStream slowBody = http.send(download(base, slow.get("resourceId").asText(), slow.get("resourceSecret").asText()),
          HttpResponse.BodyHandlers.ofInputStream()).body()) {
        assertThat(slowBody.readNBytes(STALL_AT - (1 << 20))).hasSize(STALL_AT - (1 << 20));

        HttpResponse<byte[]> other = http.send(download(base, fast.get("resourceId").asText(), fast.get("resourceSecret").asText()),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(other.body()).isEqualTo(content);

        release.countDown();
        assertThat(slowBody.readAllBytes()).hasSize(content.length - STALL_AT + (1 << 20));
      }
    }
  }

  private static HttpRequest download(String base, String id, String secret) {
    return HttpRequest.newBuilder(URI.create(base + "/api/v1/bundles/" + id)).header("Authorization", "Bearer " + secret)
        .timeout(Duration.ofSeconds(20)).build();
  }

  /** The local store, but one bundle's reads stop at 16 MiB until released, as a stalled object-store connection would. */
  private final class StallingStore extends ForwardingBundleStore {
    StallingStore(BundleStore local) {
      super(local);
    }

    @Override
    public boolean readsMayBlock() {
      return true;
    }

    @Override
    public SeekableByteChannel open(BundleId id) throws IOException {
      SeekableByteChannel channel = store.open(id);
      return id.equals(stalled) ? new Stalling(channel) : channel;
    }
  }

  private final class Stalling extends ForwardingChannel {
    Stalling(SeekableByteChannel channel) {
      super(channel);
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
      try {
        if (channel.position() >= STALL_AT && !release.await(30, TimeUnit.SECONDS)) {
          throw new IOException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      return channel.read(destination);
    }
  }
}
