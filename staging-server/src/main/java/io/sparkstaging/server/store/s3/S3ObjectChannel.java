package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.ReadOnlyChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * An object's bytes as a read-only channel: one streaming GET from the current position, replaced
 * by a ranged GET when the position moves. Closing early aborts the stream rather than draining it.
 */
final class S3ObjectChannel extends ReadOnlyChannel {
  private static final int CHUNK = 128 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private ResponseInputStream<GetObjectResponse> stream;
  private byte[] chunk;

  private S3ObjectChannel(S3Client s3, String bucket, String key, ResponseInputStream<GetObjectResponse> first) {
    super(first.response().contentLength());
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.stream = first;
  }

  /** Starts reading the whole object, so that a missing one is known before any byte is sent. */
  static S3ObjectChannel open(S3Client s3, String bucket, String key) throws IOException {
    return new S3ObjectChannel(s3, bucket, key, get(s3, bucket, key, null));
  }

  private static ResponseInputStream<GetObjectResponse> get(S3Client s3, String bucket, String key, String range) throws IOException {
    try {
      return s3.getObject(request -> request.bucket(bucket).key(key).range(range));
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(key);
    } catch (SdkException e) {
      throw new IOException("the object store did not serve the bundle: " + e.getMessage(), e);
    }
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    requireOpen();
    if (position() >= size()) {
      return -1;
    }
    if (stream == null) {
      stream = get(s3, bucket, key, "bytes=" + position() + "-");
    }
    if (chunk == null) {
      chunk = new byte[CHUNK];
    }
    int read = stream.read(chunk, 0, Math.min(chunk.length, destination.remaining()));
    if (read < 0) {
      throw new IOException("the object store ended the bundle after " + position() + " of " + size() + " bytes");
    }
    destination.put(chunk, 0, read);
    advance(read);
    return read;
  }

  @Override
  protected void moving() {
    abortStream();
  }

  @Override
  protected void closing() {
    abortStream();
  }

  private void abortStream() {
    if (stream != null) {
      // Closing would read the rest of the object to reuse the connection; aborting drops it.
      if (position() < size()) {
        stream.abort();
      }
      try {
        stream.close();
      } catch (IOException ignored) {
        // The connection is discarded either way.
      }
      stream = null;
    }
  }
}
