package io.sparkstaging.common.wire;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * What a bundle is: a tar archive, plain (cheaper for jars, which are compressed already) or
 * gzip-compressed (what the original client sends), told apart by its first bytes, never by a
 * name. The server stores and serves it as opaque bytes; the client writes it and the
 * init-container unpacks it, by these rules:
 *
 * <ul>
 *   <li>a flat archive: each entry a regular file named by the local file's own name, a repeated
 *       name getting {@code -1}, {@code -2}… before its extension ({@link #uniqueName});
 *   <li>mode {@code 0755} for a file executable on the client, else {@code 0644}; only the owner's
 *       execute bit is read back ({@link #isExecutable});
 *   <li>POSIX (pax) headers for names over 100 bytes and files over 8 GiB;
 *   <li>the whole archive, end-of-archive marker included: anything shorter was cut short.
 * </ul>
 *
 * Readers also accept directories, which the original client's archives may hold, and refuse
 * every other kind of entry.
 */
public final class BundleFormat {
  public static final int FILE_MODE = 0644;
  public static final int EXECUTABLE_MODE = 0755;
  private static final int OWNER_EXECUTE = 0100;
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int BUFFER = 64 * 1024;

  private BundleFormat() {}

  public static int modeOf(boolean executable) {
    return executable ? EXECUTABLE_MODE : FILE_MODE;
  }

  public static boolean isExecutable(int mode) {
    return (mode & OWNER_EXECUTE) != 0;
  }

  /** {@code name}, or with {@code -1}, {@code -2}… before its extension if {@code used} holds it already; adds the result to {@code used}. */
  public static String uniqueName(String name, Set<String> used) {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String extension = dot > 0 ? name.substring(dot) : "";
    String candidate = name;
    for (int counter = 1; !used.add(candidate); counter++) {
      candidate = stem + "-" + counter + extension;
    }
    return candidate;
  }

  /** The tar stream inside {@code bundle}, decompressed if it starts as gzip does. */
  public static InputStream tarStreamOf(InputStream bundle) throws IOException {
    var buffered = new BufferedInputStream(bundle, BUFFER);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2 ? new GZIPInputStream(buffered, BUFFER) : buffered;
  }
}
