package io.sparkstaging.submit.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sparkstaging.common.wire.Routes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staging server that stops answering fails the staging once the read limit has passed, and says
 * so, instead of holding the client for ever; the JDK's networking properties set the limits.
 */
class StagingTimeoutsTest {
  private static final StagingTimeouts SHORT = new StagingTimeouts(Duration.ofSeconds(5), Duration.ofMillis(700));

  @TempDir
  Path work;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final CountDownLatch end = new CountDownLatch(1);
  private ServerSocket silent;
  private HttpServer stalling;
  private final ExecutorService handlers = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws IOException {
    end.countDown();
    for (Socket socket : held) {
      socket.close();
    }
    if (silent != null) {
      silent.close();
    }
    if (stalling != null) {
      stalling.stop(0);
    }
    handlers.shutdownNow();
  }

  private BundlePackager bundle() throws IOException {
    return new BundlePackager(List.of(Files.writeString(work.resolve("app.jar"), "application")), false);
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersFailsTheStagingOnceTheReadLimitHasPassed() throws Exception {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          held.add(silent.accept());
        }
      } catch (IOException closed) {
        // the test is over
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    var client = new StagingClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()), null, UploadCredentials.none(),
        Optional.empty(), SHORT);

    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
        () -> client.stage(bundle(), "spark-jobs", Map.of("spark-app-selector", "a"), UploadProgress.NONE))
        .isInstanceOf(StageFailure.class)
        .hasMessage("reading the staging server's answer failed: it sent nothing for 700 ms "
            + "(-Dsun.net.client.defaultReadTimeout=MILLIS in SPARK_STAGING_JAVA_OPTS waits longer)"));
    assertThat(held).as("the question was asked").isNotEmpty();
  }

  @Test
  void aServerThatStallsWhileAFileIsUploadedFailsTheStagingToo() throws Exception {
    stalling = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stalling.setExecutor(handlers);
    stalling.createContext(Routes.V1_NAMESPACES, this::answerThenStallOnTheUpload);
    stalling.start();
    var client = new StagingClient(URI.create("http://127.0.0.1:" + stalling.getAddress().getPort()), null, UploadCredentials.none(),
        Optional.empty(), SHORT);

    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
        () -> client.stage(bundle(), "spark-jobs", Map.of("spark-app-selector", "a"), UploadProgress.NONE))
        .isInstanceOf(StageFailure.class).hasMessageContaining("it sent nothing for 700 ms"));
  }

  /** Names app.jar missing, then, given its bytes, never answers. */
  private void answerThenStallOnTheUpload(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    if (exchange.getRequestMethod().equals("PUT")) {
      try {
        end.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    byte[] bytes = ("{\"missing\":[\"" + FileDigests.sha256(work.resolve("app.jar")) + "\"]}").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void aTimeoutIsExplainedByTheLimitThatEndedItAndAnyOtherFailureByItself() {
    assertThat(SHORT.explain(new SocketTimeoutException("Connect timed out")))
        .isEqualTo("no connection within 5 s (-Dsun.net.client.defaultConnectTimeout=MILLIS in SPARK_STAGING_JAVA_OPTS waits longer)");
    assertThat(SHORT.explain(new SocketTimeoutException("Read timed out")))
        .isEqualTo("it sent nothing for 700 ms (-Dsun.net.client.defaultReadTimeout=MILLIS in SPARK_STAGING_JAVA_OPTS waits longer)");
    assertThat(StagingTimeouts.from(new Properties()).explain(new SocketTimeoutException("Read timed out")))
        .startsWith("it sent nothing for 5 min ");
    assertThat(SHORT.explain(new ConnectException("Connection refused"))).isEqualTo("java.net.ConnectException: Connection refused");
  }

  @Test
  void theJdksNetworkingPropertiesSetTheLimitsAndTheDefaultsStandOtherwise() {
    assertThat(StagingTimeouts.from(new Properties())).isEqualTo(new StagingTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5)));

    var set = new Properties();
    set.setProperty("sun.net.client.defaultConnectTimeout", "2500");
    set.setProperty("sun.net.client.defaultReadTimeout", "0");
    assertThat(StagingTimeouts.from(set)).as("0 is no limit, as the JDK has it")
        .isEqualTo(new StagingTimeouts(Duration.ofMillis(2500), Duration.ZERO));

    var unusable = new Properties();
    unusable.setProperty("sun.net.client.defaultConnectTimeout", "-1");
    unusable.setProperty("sun.net.client.defaultReadTimeout", "soon");
    assertThat(StagingTimeouts.from(unusable)).isEqualTo(StagingTimeouts.from(new Properties()));
  }
}
