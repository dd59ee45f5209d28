package io.sparkstaging.server.store;

import io.sparkstaging.common.units.ByteSize;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads an upload's content for a store: counts and hashes every byte on the way, refuses the
 * content once it passes the size limit, and reports a broken client stream as an interrupted
 * upload.
 */
public final class ContentMeter {
  private final long maxSize;
  private final MessageDigest sha256;
  private long size;
  private String sha256Hex;

  public ContentMeter(long maxSize) {
    this.maxSize = maxSize;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Refuses at once an upload whose announced size ({@code -1} if unknown) is over the limit. */
  public static void requireWithin(long expectedSize, long maxSize) {
    if (expectedSize > maxSize) {
      throw new StagingException(Problem.PAYLOAD_TOO_LARGE,
          "the bundle is " + expectedSize + " bytes; this server accepts at most " + ByteSize.format(maxSize));
    }
  }

  /** Reads up to {@code length} bytes into {@code buffer}; -1 at the end of the content, which completes the digest. */
  public int read(InputStream content, byte[] buffer, int offset, int length) {
    int read;
    try {
      read = content.read(buffer, offset, length);
    } catch (IOException e) {
      throw new StagingException(Problem.UPLOAD_INTERRUPTED, "the upload ended before it was complete (" + why(e) + ")", e);
    }
    if (read < 0) {
      sha256Hex = HexFormat.of().formatHex(sha256.digest());
      return read;
    }
    size += read;
    if (size > maxSize) {
      throw new StagingException(Problem.PAYLOAD_TOO_LARGE,
          "the bundle is larger than the " + ByteSize.format(maxSize) + " this server accepts");
    }
    sha256.update(buffer, offset, read);
    return read;
  }

  /** What broke the stream, from its first cause: the streams metering it wrap what they pass on (a list of one, for observers). */
  private static String why(IOException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null && !cause.getMessage().isBlank() ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  public long size() {
    return size;
  }

  public String sha256Hex() {
    if (sha256Hex == null) {
      throw new IllegalStateException("the content has not been read to its end");
    }
    return sha256Hex;
  }
}
