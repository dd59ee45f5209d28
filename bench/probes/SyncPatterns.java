import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What making a first staging durable costs on a disk, apart from everything else: the same bytes
 * written as one file with one sync, or as many files each synced, renamed and its directory synced
 * as the server stores a blob, on as many threads as the client uploads at once, or as many files
 * written first and synced together at the end.
 *
 * <pre>
 * one    one file of FILES x SIZE bytes, one sync, its directory synced: a tar upload
 * each   FILES files on THREADS threads, each synced, renamed, its directory synced: blobs today
 * end    FILES files on THREADS threads, renamed unsynced, then each synced and the directory once
 * </pre>
 *
 * usage: java SyncPatterns.java EMPTY_DIR one|each|end THREADS [FILES [SIZE]]
 */
public final class SyncPatterns {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String mode = args[1];
    int threads = Integer.parseInt(args[2]);
    int files = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int size = args.length > 4 ? Integer.parseInt(args[4]) : 3 << 20;
    ByteBuffer content = ByteBuffer.allocateDirect(size);
    Path incoming = Files.createDirectories(root.resolve("incoming"));
    Path stored = Files.createDirectories(root.resolve("stored"));
    long start = System.nanoTime();
    switch (mode) {
      case "one" -> {
        try (FileChannel file = FileChannel.open(stored.resolve("all"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          for (int i = 0; i < files; i++) {
            write(file, content);
          }
          file.force(true);
        }
        syncDirectory(stored);
      }
      case "each", "end" -> {
        boolean each = mode.equals("each");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < files; i++) {
          String name = "blob-" + i;
          writes.add(pool.submit(() -> {
            Path temp = incoming.resolve(name);
            try (FileChannel file = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
              write(file, content);
              if (each) {
                file.force(true);
              }
            }
            Files.move(temp, stored.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            if (each) {
              syncDirectory(stored);
            }
            return null;
          }));
        }
        for (Future<?> write : writes) {
          write.get();
        }
        pool.shutdown();
        if (!each) {
          for (int i = 0; i < files; i++) {
            try (FileChannel file = FileChannel.open(stored.resolve("blob-" + i), StandardOpenOption.WRITE)) {
              file.force(true);
            }
          }
          syncDirectory(stored);
        }
      }
      default -> throw new IllegalArgumentException("mode: one, each or end, not " + mode);
    }
    System.out.printf("%s %d thread(s) %d x %d bytes: %.3f s%n", mode, threads, files, size, (System.nanoTime() - start) / 1e9);
  }

  private static void write(FileChannel file, ByteBuffer content) throws Exception {
    ByteBuffer bytes = content.duplicate();
    while (bytes.hasRemaining()) {
      file.write(bytes);
    }
  }

  private static void syncDirectory(Path directory) throws Exception {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
