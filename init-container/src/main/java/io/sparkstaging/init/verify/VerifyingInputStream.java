package io.sparkstaging.init.verify;

import io.sparkstaging.common.wire.ReprDigest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Counts and hashes the bytes exactly as they came from the server, so that a truncated or
 * corrupted download is caught before anything made from it is put in place.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final MessageDigest sha256;
  private long count;

  public VerifyingInputStream(InputStream in) {
    super(in);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int read = in.read(buffer, offset, length);
    if (read > 0) {
      sha256.update(buffer, offset, read);
      count += read;
    }
    return read;
  }

  /** Skipped bytes are read, so that they still pass through the digest. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  /** A reset would feed bytes to the digest twice. */
  @Override
  public boolean markSupported() {
    return false;
  }

  /**
   * Reads what is left, then checks size and digest against what the server announced.
   *
   * @param reprDigest the server's {@code Repr-Digest} header, if any
   */
  public void verifyToEnd(OptionalLong expectedLength, Optional<String> reprDigest) throws IOException {
    byte[] rest = new byte[64 * 1024];
    while (read(rest, 0, rest.length) >= 0) {
      // draining into the digest
    }
    if (expectedLength.isPresent() && expectedLength.getAsLong() != count) {
      throw new ContentRejected("received " + count + " bytes but the server announced " + expectedLength.getAsLong());
    }
    Optional<String> expected;
    try {
      expected = ReprDigest.sha256Hex(reprDigest.orElse(null));
    } catch (IllegalArgumentException malformed) {
      throw new ContentRejected("the server sent a malformed " + ReprDigest.HEADER + " header");
    }
    String actual = HexFormat.of().formatHex(sha256.digest());
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new ContentRejected("SHA-256 of the received bytes is " + actual + " but the server announced " + expected.get());
    }
  }

  public long count() {
    return count;
  }
}
