package io.sparkstaging.submit.stage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 digests of local files, remembered between runs by path, size, modification time and
 * inode, so that an unchanged 300 MiB of jars is not read again at every submission. An entry is
 * trusted only when all four still match, and a file modified within the last two seconds is never
 * remembered: its time may not change again when its content does (the "racy" case git knows).
 * The cache is one text file, rewritten whole and renamed into place; a cache that cannot be read
 * or written is no cache, never an error.
 */
final class DigestCache {
  private static final int MAX_ENTRIES = 20_000;
  private static final long RACY_MILLIS = 2000;
  private static final String HEADER = "# spark-staging digests v1: sha256 size mtime-nanos inode path";

  private final Optional<Path> file;
  /**
   * By key, a line's fields after the digest ({@link #key}): a string rather than a record, whose
   * first hashCode spins up method handles, a cost every run of the command would pay at start.
   */
  private final Map<String, String> remembered = new ConcurrentHashMap<>();
  private final Map<String, String> learned = new ConcurrentHashMap<>();

  private DigestCache(Optional<Path> file) {
    this.file = file;
  }

  /** The cache in {@code dir}, created when first written; empty for none. */
  static DigestCache in(Optional<Path> dir) {
    var cache = new DigestCache(dir.map(d -> d.resolve("digests.txt")));
    cache.file.ifPresent(cache::load);
    return cache;
  }

  /** Where the cache lives: {@code $XDG_CACHE_HOME/spark-staging}, else {@code ~/.cache/spark-staging}. */
  static Optional<Path> defaultDir(Map<String, String> environment) {
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Optional.of(Path.of(xdg, "spark-staging"));
    }
    String home = System.getProperty("user.home");
    return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home, ".cache", "spark-staging"));
  }

  private void load(Path path) {
    try {
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        String[] fields = line.split(" ", 5);
        if (line.startsWith("#") || fields.length != 5) {
          continue;
        }
        // A line this version did not write matches no key: it is never used, and is kept only while among the newest.
        remembered.put(line.substring(fields[0].length() + 1), fields[0]);
      }
    } catch (IOException | RuntimeException unreadable) {
      remembered.clear();
    }
  }

  Optional<String> get(Path file, BasicFileAttributes attributes) {
    return Optional.ofNullable(remembered.get(key(file, attributes)));
  }

  void put(Path file, BasicFileAttributes attributes, String sha256, Instant now) {
    // A path with a line break cannot be stored on one line: such a file is hashed every time.
    boolean oneLine = file.toString().indexOf('\n') < 0 && file.toString().indexOf('\r') < 0;
    if (!oneLine || attributes.lastModifiedTime().toMillis() > now.toEpochMilli() - RACY_MILLIS) {
      return;
    }
    learned.put(key(file, attributes), sha256);
  }

  /** Writes what this run learned, keeping the most recent entries; failures are ignored. */
  void save() {
    if (file.isEmpty() || learned.isEmpty()) {
      return;
    }
    Map<String, String> all = new LinkedHashMap<>(remembered);
    learned.forEach((key, sha256) -> {
      all.remove(key);
      all.put(key, sha256);
    });
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    all.entrySet().stream().skip(Math.max(0, all.size() - MAX_ENTRIES))
        .forEach(entry -> lines.add(entry.getValue() + " " + entry.getKey()));
    Path target = file.get();
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), "digests", ".tmp");
      Files.write(temp, lines, StandardCharsets.UTF_8);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException unwritable) {
      // A read-only home or a full disk costs a re-hash next time, nothing more.
    }
  }

  /** Size, modification time in nanoseconds, inode and absolute path, as a cache line lists them after the digest. */
  private static String key(Path file, BasicFileAttributes attributes) {
    Object inode = attributes.fileKey();
    return attributes.size() + " " + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " "
        + (inode == null ? "-" : inode.toString().replace(' ', '_')) + " " + file.toAbsolutePath().normalize();
  }
}
