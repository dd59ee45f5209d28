package io.sparkstaging.init.extract;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * How a bundle is packed, told by its first bytes, never by a name: gzip-compressed tar (what the
 * original client sends) or plain tar (cheaper for jars, which are compressed already).
 */
enum BundleFormat {
  TAR_GZIP,
  TAR;

  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int BUFFER = 64 * 1024;

  /** The tar stream inside {@code bundle}, decompressed if need be. */
  static InputStream tarStreamOf(InputStream bundle) throws IOException {
    var buffered = new BufferedInputStream(bundle, BUFFER);
    return detect(buffered) == TAR_GZIP ? new GZIPInputStream(buffered, BUFFER) : buffered;
  }

  static BundleFormat detect(BufferedInputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2 ? TAR_GZIP : TAR;
  }
}
