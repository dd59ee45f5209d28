package io.sparkstaging.submit.stage;

import io.sparkstaging.common.wire.BundleFormat;
import io.sparkstaging.common.wire.ManifestFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Describes local files as a manifest lists them: name, SHA-256, size, mode. Files are hashed on
 * as many threads as there are cores, and handed over as they are done, so that the server can be
 * asked about the first while the last is still being read; a {@link DigestCache} spares the files
 * that did not change since an earlier run.
 */
final class FileDigests {
  private static final int BUFFER = 1 << 20;
  /** One read buffer per hashing thread, not one per file: each new direct buffer is a fresh mapping, zeroed and faulted in. */
  private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

  private final DigestCache cache;
  private final Clock clock;

  FileDigests(DigestCache cache, Clock clock) {
    this.cache = cache;
    this.clock = clock;
  }

  /** A file described, with its place among the files. */
  record DescribedFile(int index, ManifestFile file) {}

  /** Files handed over as they are described. */
  interface Descriptions {
    /** Waits for the next file, and takes every other one done by then; empty once every file was handed over. */
    List<DescribedFile> next() throws IOException;
  }

  /**
   * Looks each file up in the cache, and starts hashing those it does not remember. The remembered
   * ones are handed over first, all together, so that one question to the server covers them
   * (a restaging asks about 99 unchanged jars at once, then about the changed one).
   *
   * @param names the files' names in the bundle, one per file
   */
  Hashing start(List<Path> files, List<String> names) throws IOException {
    int threads = Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "staging-hash");
      thread.setDaemon(true);
      return thread;
    });
    var done = new ExecutorCompletionService<DescribedFile>(pool);
    var remembered = new ArrayList<DescribedFile>();
    try {
      for (int i = 0; i < files.size(); i++) {
        int index = i;
        Path file = files.get(i);
        BasicFileAttributes attributes = attributesOf(file);
        Optional<String> sha256 = cache.get(file, attributes);
        if (sha256.isPresent()) {
          remembered.add(new DescribedFile(index, describe(file, names.get(index), attributes, sha256.get())));
        } else {
          done.submit(() -> new DescribedFile(index, hash(file, names.get(index), attributes)));
        }
      }
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      throw e;
    }
    return new Hashing(pool, done, remembered, files.size());
  }

  /** The hashing under way; closing it stops what is left of it. */
  final class Hashing implements Descriptions, AutoCloseable {
    private final ExecutorService pool;
    private final CompletionService<DescribedFile> done;
    private List<DescribedFile> remembered;
    private int left;

    private Hashing(ExecutorService pool, CompletionService<DescribedFile> done, List<DescribedFile> remembered, int files) {
      this.pool = pool;
      this.done = done;
      this.remembered = remembered;
      this.left = files;
    }

    /** The digest cache is saved with the last file. */
    @Override
    public List<DescribedFile> next() throws IOException {
      if (left == 0) {
        return List.of();
      }
      var described = new ArrayList<DescribedFile>(remembered);
      remembered = List.of();
      try {
        if (described.isEmpty()) {
          described.add(done.take().get());
        }
        for (Future<DescribedFile> file = done.poll(); file != null; file = done.poll()) {
          described.add(file.get());
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        throw new IllegalStateException("hashing failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while hashing the files", e);
      }
      left -= described.size();
      if (left == 0) {
        cache.save();
      }
      return described;
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  private static BasicFileAttributes attributesOf(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private ManifestFile hash(Path file, String name, BasicFileAttributes attributes) {
    try {
      String sha256 = sha256(file);
      cache.put(file, attributes, sha256, clock.instant());
      return describe(file, name, attributes, sha256);
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException("cannot read " + file + ": " + e.getMessage(), e));
    }
  }

  private static ManifestFile describe(Path file, String name, BasicFileAttributes attributes, String sha256) {
    return new ManifestFile(name, sha256, attributes.size(), BundleFormat.modeOf(Files.isExecutable(file)));
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    ByteBuffer buffer = BUFFERS.get();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer.clear()) >= 0) {
        digest.update(buffer.flip());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
