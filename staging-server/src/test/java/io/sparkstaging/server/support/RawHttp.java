package io.sparkstaging.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 by hand, for the cases where a client library hides what matters: an early answer to
 * a body still being sent, a client that vanishes mid-upload.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;

  public RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
  }

  public void send(String head) throws IOException {
    socket.getOutputStream().write(head.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  public OutputStream body() throws IOException {
    return socket.getOutputStream();
  }

  /** Ends what is sent, as a client that stops in the middle of a body does, still reading the answer. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Writes {@code bytes} zeros in the background, stopping quietly when the server hangs up. */
  public CompletableFuture<Void> sendZerosInBackground(long bytes, boolean chunked) {
    return CompletableFuture.runAsync(() -> {
      byte[] block = new byte[64 * 1024];
      try {
        OutputStream out = socket.getOutputStream();
        for (long sent = 0; sent < bytes; sent += block.length) {
          if (chunked) {
            out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          }
          out.write(block);
          if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          }
        }
        if (chunked) {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (IOException serverHungUp) {
        // Expected when the server refuses the body early.
      }
    });
  }

  /** Everything the server sends until it closes the connection or the first response ends. */
  public String readResponse() throws IOException {
    InputStream in = socket.getInputStream();
    var text = new StringBuilder();
    int contentLength = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return text.toString();
      }
      text.append((char) c);
      int headerEnd = text.indexOf("\r\n\r\n");
      if (headerEnd >= 0 && contentLength < 0) {
        var head = text.substring(0, headerEnd).toLowerCase(java.util.Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at < 0 || head.startsWith("http/1.1 100")) {
          if (head.startsWith("http/1.1 100")) {
            return text.toString();
          }
          continue;
        }
        contentLength = Integer.parseInt(head.substring(at + 15).split("\r\n")[0].strip());
      }
      if (contentLength >= 0 && text.length() >= headerEnd + 4 + contentLength) {
        return text.toString();
      }
    }
  }

  /** Whether the server closed the connection (within the socket's timeout) rather than keep it for another request. */
  public boolean closedByServer() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
