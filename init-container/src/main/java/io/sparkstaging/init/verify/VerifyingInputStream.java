package io.sparkstaging.init.verify;

import io.sparkstaging.common.wire.ReprDigest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Counts and hashes the bytes exactly as they came from the server, so that a truncated or
 * corrupted download is caught before anything made from it is put in place.
 */
public final class VerifyingInputStream extends HashingInputStream {
  private long count;

  public VerifyingInputStream(InputStream in) {
    super(in);
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
