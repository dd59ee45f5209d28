package io.sparkstaging.server.store.s3;

import io.sparkstaging.common.wire.BundleOwner;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.MeteredPendingBundle;
import io.sparkstaging.server.store.SecretDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One upload streaming into the bucket. The content is cut into parts; each is spooled to a local
 * file (so memory stays flat however slow the client or large the bundle) and sent as a part of a
 * multipart upload, on another thread while the next part is spooled, so that receiving and
 * sending overlap; an upload holds at most two parts on disk. Content of one part or less goes in
 * a single PUT. Nothing is visible until {@link #commit} writes the metadata; closing without a
 * commit aborts the multipart upload or deletes the stored content.
 */
final class S3PendingBundle extends MeteredPendingBundle {
  private static final Logger log = LoggerFactory.getLogger(S3PendingBundle.class);
  private static final int BUFFER_SIZE = 128 * 1024;

  private final UploadTarget target;
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final long partSize;
  private final List<Path> spools;
  private final List<CompletedPart> parts = new ArrayList<>();
  private String uploadId;
  private Future<CompletedPart> partInFlight;
  private boolean contentStored;
  private boolean committed;

  S3PendingBundle(UploadTarget target, BundleId id, long maxSize) {
    super(id, maxSize);
    this.target = target;
    this.s3 = target.bucket().client();
    this.bucket = target.bucket().name();
    this.key = target.bucket().keys().content(id);
    this.partSize = target.partSize();
    this.spools = target.spool().partFiles(id);
  }

  @Override
  public void write(InputStream content) {
    byte[] buffer = new byte[BUFFER_SIZE];
    try {
      for (int part = 0;; part++) {
        // Part N-1 is being sent from the other file, or was sent; part N-2's file is free again.
        Path spool = spools.get(part % 2);
        target.spool().requireRoomFor(partSize);
        long spooled = spoolPart(content, buffer, spool);
        boolean ended = spooled < partSize;
        if (ended && part == 0) {
          s3.putObject(put -> put.bucket(bucket).key(key).contentLength(spooled), RequestBody.fromFile(spool));
          contentStored = true;
          return;
        }
        awaitPartInFlight();
        if (spooled > 0) {
          sendInBackground(part + 1, spooled, spool);
        }
        if (ended) {
          awaitPartInFlight();
          s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(uploadId)
              .multipartUpload(upload -> upload.parts(parts)));
          contentStored = true;
          return;
        }
      }
    } catch (SdkException e) {
      throw S3BundleStore.unavailable("store the bundle", e);
    }
  }

  /** Fills {@code spool} with the next part, or less at the end of the content; returns its size. */
  private long spoolPart(InputStream content, byte[] buffer, Path spool) {
    long spooled = 0;
    try (FileChannel file =
        FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
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
      throw target.spool().failure(e);
    }
    return spooled;
  }

  private void sendInBackground(int number, long length, Path spool) {
    if (uploadId == null) {
      uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key)).uploadId();
    }
    String upload = uploadId;
    partInFlight = target.partSender().submit(() -> {
      String etag = s3.uploadPart(part -> part.bucket(bucket).key(key).uploadId(upload).partNumber(number)
          .contentLength(length), RequestBody.fromFile(spool)).eTag();
      return CompletedPart.builder().partNumber(number).eTag(etag).build();
    });
  }

  /** Waits for the part being sent, if any, and rethrows its failure. */
  private void awaitPartInFlight() {
    if (partInFlight == null) {
      return;
    }
    try {
      parts.add(partInFlight.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SdkException sdk) {
        throw sdk;
      }
      throw new IllegalStateException("sending a part failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StagingException(Problem.UPLOAD_INTERRUPTED, "the upload was interrupted", e);
    } finally {
      partInFlight = null;
    }
  }

  @Override
  public BundleRecord commit(BundleOwner owner, SecretDigest secretDigest) {
    BundleRecord record = record(owner, secretDigest, target.clock().instant());
    target.publisher().accept(record);
    committed = true;
    return record;
  }

  @Override
  public void close() {
    if (partInFlight != null) {
      // Aborted before it ends, a part could still land after the abort; let it end first.
      try {
        partInFlight.get();
      } catch (ExecutionException | InterruptedException | CancellationException ignored) {
        // Whatever it did, the upload is aborted below.
      }
      partInFlight = null;
    }
    for (Path spool : spools) {
      try {
        Files.deleteIfExists(spool);
      } catch (IOException e) {
        log.warn("Could not remove a spool file of upload {}: {}", id, e.toString());
      }
    }
    if (committed) {
      return;
    }
    // Nothing here is visible without the metadata; what cannot be removed now, cleanup removes later.
    try {
      if (contentStored) {
        s3.deleteObject(delete -> delete.bucket(bucket).key(key));
      } else if (uploadId != null) {
        s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
      }
    } catch (SdkException e) {
      log.warn("Could not remove the partial upload {}: {}", id, e.toString());
    }
  }
}
