package io.sparkstaging.server.download;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one download sends: a whole bundle, or one file of a bundle staged by digest.
 *
 * @param etag a strong entity tag, quoted
 * @param sha256 the bytes' SHA-256, for {@code Repr-Digest}
 * @param sha256ReadsAll whether finding the SHA-256 may take a read of every byte (a manifest
 *     bundle's tar): a range is then answered without it, rather than wait for that read, which
 *     the ranges' reader does not need (it verifies each file against its manifest)
 * @param direct where the same bytes can be fetched straight from storage, if anywhere
 */
record Representation(long size, String etag, Supplier<String> sha256, boolean sha256ReadsAll, Opener opener, Optional<URI> direct) {
  /** Opens the bytes; {@link java.nio.file.NoSuchFileException} if they were deleted since the request was authorized. */
  @FunctionalInterface
  interface Opener {
    SeekableByteChannel open() throws IOException;
  }
}
