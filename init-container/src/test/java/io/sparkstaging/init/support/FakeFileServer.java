package io.sparkstaging.init.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.ReprDigest;
import io.sparkstaging.server.support.Bundles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A misbehaving file server on loopback: serves one body at any path, with ETag, Repr-Digest and
 * Range, and can cut its first answer short, send bytes other than it announced, or never answer.
 */
public final class FakeFileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final HttpServer server;
  private final byte[] body;
  private final String sha256Hex;
  private final List<String> rangesAsked = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile long cutFirstAnswerAfter = -1;
  private volatile boolean corrupt;
  private volatile boolean stall;
  private volatile boolean rangeEndsIgnoredOnResume;
  private volatile String redirectTo;
  private volatile String vouchedSha256Hex;
  private final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();
  private final List<String> pathsSeen = new CopyOnWriteArrayList<>();
  private volatile String onlyUnder;
  private volatile boolean projectServer;

  private FakeFileServer(HttpServer server, byte[] body) {
    this.server = server;
    this.body = body;
    this.sha256Hex = Bundles.sha256Hex(body);
    server.createContext("/", this::answer);
    server.start();
  }

  public static FakeFileServer http(byte[] body) throws IOException {
    return new FakeFileServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), body);
  }

  public static FakeFileServer https(byte[] body, SSLContext tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new FakeFileServer(server, body);
  }

  /** The first answer stops after this many body bytes, as if the connection broke. */
  public FakeFileServer cuttingFirstAnswerAfter(long bytes) {
    cutFirstAnswerAfter = bytes;
    return this;
  }

  /** Announces the right digest and length, sends other bytes. */
  public FakeFileServer corrupting() {
    corrupt = true;
    return this;
  }

  /** Answers every request with a 302 to {@code location}. */
  public FakeFileServer redirectingTo(String location) {
    redirectTo = location;
    return this;
  }

  /** Redirects as the staging server does to a presigned URL: with the digest of the bytes to expect. */
  public FakeFileServer redirectingTo(String location, byte[] vouchedFor) {
    vouchedSha256Hex = Bundles.sha256Hex(vouchedFor);
    return redirectingTo(location);
  }

  /**
   * Answers only paths under {@code prefix}, and anything else with a bare 404, as a server that
   * knows no such route does; as this project's server, every answer then says its API version.
   */
  public FakeFileServer onlyUnder(String prefix, boolean asProjectServer) {
    onlyUnder = prefix;
    projectServer = asProjectServer;
    return this;
  }

  /** The paths requested, in order. */
  public List<String> pathsSeen() {
    return pathsSeen;
  }

  /** The Authorization headers received (null for none). */
  public List<String> authorizationsSeen() {
    return authorizationsSeen;
  }

  /** Answers every range after the first as if it were open-ended, sending the rest of the body. */
  public FakeFileServer ignoringRangeEndsOnResume() {
    rangeEndsIgnoredOnResume = true;
    return this;
  }

  /** Accepts requests and never answers them. */
  public FakeFileServer stalling() {
    stall = true;
    return this;
  }

  public String uri(String path) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The Range headers received, in order (null for none). */
  public List<String> rangesAsked() {
    return rangesAsked;
  }

  private void answer(HttpExchange exchange) throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    rangesAsked.add(range);
    authorizationsSeen.add(exchange.getRequestHeaders().getFirst("Authorization"));
    pathsSeen.add(exchange.getRequestURI().getRawPath());
    if (projectServer) {
      exchange.getResponseHeaders().add(Headers.API, Headers.API_VERSION);
    }
    if (onlyUnder != null && !exchange.getRequestURI().getRawPath().startsWith(onlyUnder)) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    if (redirectTo != null) {
      exchange.getResponseHeaders().add("Location", redirectTo);
      if (vouchedSha256Hex != null) {
        exchange.getResponseHeaders().add("ETag", "\"" + vouchedSha256Hex + "\"");
        exchange.getResponseHeaders().add("Repr-Digest", ReprDigest.format(vouchedSha256Hex));
      }
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
      return;
    }
    if (stall) {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    int from = 0;
    Matcher match = range == null ? null : RANGE.matcher(range);
    var headers = exchange.getResponseHeaders();
    headers.add("ETag", "\"" + sha256Hex + "\"");
    headers.add("Repr-Digest", ReprDigest.format(sha256Hex));
    headers.add("Accept-Ranges", "bytes");
    int to = body.length;
    if (match != null && match.matches()) {
      from = Integer.parseInt(match.group(1));
      boolean openEnded = match.group(2).isEmpty() || rangeEndsIgnoredOnResume && rangesAsked.size() > 1;
      to = openEnded ? body.length : Math.min(body.length, Integer.parseInt(match.group(2)) + 1);
      headers.add("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + body.length);
      exchange.sendResponseHeaders(206, to - from);
    } else {
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    }
    byte[] sent = body.clone();
    if (corrupt && sent.length > 0) {
      sent[sent.length / 2] ^= 0x5a;
    }
    OutputStream out = exchange.getResponseBody();
    long cut = cutFirstAnswerAfter;
    if (cut >= 0 && rangesAsked.size() == 1) {
      out.write(sent, from, (int) Math.min(cut, to - from));
      out.flush();
      // The JDK server closes the connection when a handler fails: under an unfinished
      // fixed-length body, the client sees an early end.
      throw new IOException("connection cut on purpose");
    }
    out.write(sent, from, to - from);
    exchange.close();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }
}
