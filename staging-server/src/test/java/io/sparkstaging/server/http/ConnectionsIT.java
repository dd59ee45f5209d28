package io.sparkstaging.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkstaging.server.support.RawHttp;
import io.sparkstaging.server.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the server takes and keeps connections. */
class ConnectionsIT {
  @TempDir
  Path dataDir;

  @Test
  void theListenBacklogIsTheConfiguredAcceptQueue() throws Exception {
    // procfs reports no size, so read it to its end rather than by its size.
    long somaxconn;
    try (var in = Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
      somaxconn = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
    assumeTrue(somaxconn >= 777, "net.core.somaxconn caps the backlog below what this test sets");
    try (var server = TestServer.start(dataDir, settings -> settings.acceptQueue = 777)) {
      // For a listening socket, ss shows the backlog the server asked for as Send-Q.
      assertThat(listenBacklog(server.port())).isEqualTo(777);
    }
  }

  @Test
  void anHttp10RequestWithTransferEncodingIsAnsweredAndTheConnectionClosed() throws Exception {
    try (var server = TestServer.start(dataDir); var client = new RawHttp(server.port())) {
      client.send("GET /api/v0/ping HTTP/1.0\nHost: x\nConnection: keep-alive\nTransfer-Encoding: chunked\n\n0\n\n");

      String response = client.readResponse();

      // RFC 9112 §6.1: such a message's framing is faulty; the server must close after answering.
      assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void anHttp10KeepAliveRequestWithoutTransferEncodingKeepsItsConnection() throws Exception {
    try (var server = TestServer.start(dataDir); var client = new RawHttp(server.port())) {
      client.send("GET /api/v0/ping HTTP/1.0\nHost: x\nConnection: keep-alive\n\n");
      assertThat(client.readResponse()).startsWith("HTTP/1.1 200");

      client.send("GET /api/v0/ping HTTP/1.0\nHost: x\n\n");
      assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
    }
  }

  private static int listenBacklog(int port) throws IOException, InterruptedException {
    Process ss;
    try {
      ss = new ProcessBuilder(List.of("ss", "-ltnH", "sport = :" + port)).redirectErrorStream(true).start();
    } catch (IOException noSs) {
      assumeTrue(false, "ss (iproute2) is not installed");
      throw noSs;
    }
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor()).as(out).isZero();
    // State Recv-Q Send-Q Local Peer
    return Integer.parseInt(out.strip().split("\\s+")[2]);
  }
}
