package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.api.BundleOwner;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.MeteredPendingBundle;
import io.sparkstaging.server.token.SecretDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One upload streaming into the bucket. The content is cut into parts; each is spooled to a local
 * file (so memory stays flat however slow the client or large the bundle) and sent as a part of a
 * multipart upload. Content of one part or less goes in a single PUT. Nothing is visible until
 * {@link #commit} writes the metadata; closing without a commit aborts the multipart upload or
 * deletes the stored content.
 */
final class S3PendingBundle extends MeteredPendingBundle {
  private static final Logger log = LoggerFactory.getLogger(S3PendingBundle.class);
  private static final int BUFFER_SIZE = 128 * 1024;

  private final S3BundleStore store;
  private final String key;
  private final long partSize;
  private final Path spool;
  private final List<CompletedPart> parts = new ArrayList<>();
  private String uploadId;
  private boolean contentStored;
  private boolean committed;

  S3PendingBundle(S3BundleStore store, BundleId id, long maxSize, long partSize, Path spool) {
    super(id, maxSize);
    this.store = store;
    this.key = store.keys().content(id);
    this.partSize = partSize;
    this.spool = spool;
  }

  @Override
  public void write(InputStream content) {
    byte[] buffer = new byte[BUFFER_SIZE];
    while (true) {
      store.spoolSpace().requireRoomFor(partSize);
      long spooled = spoolPart(content, buffer);
      boolean ended = spooled < partSize;
      try {
        if (ended && uploadId == null) {
          store.s3().putObject(put -> put.bucket(store.bucket()).key(key).contentLength(spooled), RequestBody.fromFile(spool));
          contentStored = true;
          return;
        }
        if (spooled > 0) {
          sendPart(spooled);
        }
        if (ended) {
          store.s3().completeMultipartUpload(complete -> complete.bucket(store.bucket()).key(key).uploadId(uploadId)
              .multipartUpload(upload -> upload.parts(parts)));
          contentStored = true;
          return;
        }
      } catch (SdkException e) {
        throw S3BundleStore.unavailable("store the bundle", e);
      }
    }
  }

  /** Fills the spool file with the next part, or less at the end of the content; returns its size. */
  private long spoolPart(InputStream content, byte[] buffer) {
    long spooled = 0;
    try (FileChannel file = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (spooled < partSize) {
        int read = meter.read(content, buffer, 0, (int) Math.min(buffer.length, partSize - spooled));
        if (read < 0) {
          break;
        }
        ByteBuffer wrapped = ByteBuffer.wrap(buffer, 0, read);
        while (wrapped.hasRemaining()) {
          file.write(wrapped);
        }
        spooled += read;
      }
    } catch (IOException e) {
      throw store.spoolFailure(e);
    }
    return spooled;
  }

  private void sendPart(long length) {
    if (uploadId == null) {
      uploadId = store.s3().createMultipartUpload(create -> create.bucket(store.bucket()).key(key)).uploadId();
    }
    int number = parts.size() + 1;
    String etag = store.s3().uploadPart(part -> part.bucket(store.bucket()).key(key).uploadId(uploadId).partNumber(number)
        .contentLength(length), RequestBody.fromFile(spool)).eTag();
    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
  }

  @Override
  public BundleRecord commit(BundleOwner owner, SecretDigest secretDigest) {
    BundleRecord record = record(owner, secretDigest, store.clock().instant());
    store.publish(record);
    committed = true;
    return record;
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(spool);
    } catch (IOException e) {
      log.warn("Could not remove the spool file of upload {}: {}", id, e.toString());
    }
    if (committed) {
      return;
    }
    // Nothing here is visible without the metadata; what cannot be removed now, cleanup removes later.
    try {
      if (contentStored) {
        store.s3().deleteObject(delete -> delete.bucket(store.bucket()).key(key));
      } else if (uploadId != null) {
        store.s3().abortMultipartUpload(abort -> abort.bucket(store.bucket()).key(key).uploadId(uploadId));
      }
    } catch (SdkException e) {
      log.warn("Could not remove the partial upload {}: {}", id, e.toString());
    }
  }
}
