package io.sparkstaging.server.store;

import io.sparkstaging.server.errors.StagingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Function;

/** Streams content through a {@link ContentMeter} into a file, checking the disk's reserve as it grows. */
final class FileSink {
  private static final int BUFFER_SIZE = 128 * 1024;
  private static final long SPACE_CHECK_INTERVAL = 16L * 1024 * 1024;

  private FileSink() {}

  /** @param failure what a write error becomes for the client: 507 if the disk is short, else an internal error */
  static void copy(InputStream content, ContentMeter meter, FileChannel file, DiskSpace diskSpace,
      Function<IOException, StagingException> failure) {
    byte[] buffer = new byte[BUFFER_SIZE];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    long nextSpaceCheck = SPACE_CHECK_INTERVAL;
    for (int read = meter.read(content, buffer, 0, buffer.length); read >= 0; read = meter.read(content, buffer, 0, buffer.length)) {
      wrapped.clear().limit(read);
      try {
        while (wrapped.hasRemaining()) {
          file.write(wrapped);
        }
      } catch (IOException e) {
        throw failure.apply(e);
      }
      if (meter.size() >= nextSpaceCheck) {
        diskSpace.requireRoomFor(0);
        nextSpaceCheck += SPACE_CHECK_INTERVAL;
      }
    }
  }
}
