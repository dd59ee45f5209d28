import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The three ways a JVM can send a file over plain HTTP, with nothing else around them: no routing,
 * no secret check, no access log, one thread per connection. The fan-out scenario measures its CPU
 * per GiB beside the staging server's and nginx's, so that the cost of copying through user space
 * and the cost of the HTTP stack show apart.
 *
 * <pre>
 * GET /read      128 KiB direct buffer, read() then write(): the two copies the staging server makes
 * GET /map       the file memory-mapped once, write() from the mapping: one copy
 * GET /windows   4 MiB windows (-Dwindow=BYTES) mapped for one response each, written, then unmapped
 * GET /sendfile  FileChannel.transferTo, which is sendfile(2) on Linux: no copy through user space
 * </pre>
 *
 * usage: java SendPaths.java FILE PORT
 */
public final class SendPaths {
  private static final int BUFFER = 128 << 10;
  private static final long WINDOW = Long.getLong("window", 4 << 20);
  private static final sun.misc.Unsafe UNSAFE = unsafe();

  private static sun.misc.Unsafe unsafe() {
    try {
      var field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      return (sun.misc.Unsafe) field.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    FileChannel shared = FileChannel.open(file, StandardOpenOption.READ);
    MappedByteBuffer mapped = shared.map(FileChannel.MapMode.READ_ONLY, 0, shared.size());
    ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 1024);
    System.out.println("listening on " + listener.getLocalAddress());
    while (true) {
      SocketChannel connection = listener.accept();
      Thread thread = new Thread(() -> serve(connection, shared, mapped));
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void serve(SocketChannel connection, FileChannel file, MappedByteBuffer mapped) {
    ByteBuffer request = ByteBuffer.allocate(8192);
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    try (connection) {
      while (true) {
        String path = readRequest(connection, request);
        if (path == null) {
          return;
        }
        if (!path.equals("/read") && !path.equals("/map") && !path.equals("/windows") && !path.equals("/sendfile")) {
          writeFully(connection, ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
          continue;
        }
        long size = file.size();
        writeFully(connection, ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n"));
        switch (path) {
          case "/read" -> {
            for (long position = 0; position < size;) {
              buffer.clear();
              position += file.read(buffer, position);
              buffer.flip();
              writeFully(connection, buffer);
            }
          }
          case "/map" -> writeFully(connection, mapped.duplicate());
          case "/windows" -> {
            for (long position = 0; position < size; position += WINDOW) {
              MappedByteBuffer window = file.map(FileChannel.MapMode.READ_ONLY, position, Math.min(WINDOW, size - position));
              writeFully(connection, window);
              UNSAFE.invokeCleaner(window);
            }
          }
          default -> {
            for (long position = 0; position < size;) {
              position += file.transferTo(position, size - position, connection);
            }
          }
        }
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  /** The path of the next request on the connection, its headers consumed; null at its end. */
  private static String readRequest(SocketChannel connection, ByteBuffer request) throws IOException {
    while (true) {
      String received = new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII);
      int end = received.indexOf("\r\n\r\n");
      if (end >= 0) {
        byte[] rest = received.substring(end + 4).getBytes(StandardCharsets.US_ASCII);
        request.clear().put(rest);
        return received.split(" ", 3)[1];
      }
      if (!request.hasRemaining() || connection.read(request) < 0) {
        return null;
      }
    }
  }

  private static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static void writeFully(SocketChannel connection, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      connection.write(buffer);
    }
  }
}
