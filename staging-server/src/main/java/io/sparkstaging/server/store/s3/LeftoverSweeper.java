package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Removes what interrupted work left in the bucket: keys of bundles without metadata (an upload
 * that died before it published, a deletion that died after the metadata went, an event recorded
 * after a deletion), and multipart uploads no server will finish.
 */
final class LeftoverSweeper {
  private static final Logger log = LoggerFactory.getLogger(LeftoverSweeper.class);
  /** Leftovers younger than this may belong to an upload or deletion still under way. */
  static final Duration LEFTOVER_AGE = Duration.ofHours(1);
  /** Multipart uploads started longer ago than this were abandoned by a server that died: no upload lasts a day. */
  static final Duration ABANDONED_UPLOAD_AGE = Duration.ofDays(1);

  private final S3Bucket bucket;

  LeftoverSweeper(S3Bucket bucket) {
    this.bucket = bucket;
  }

  void sweep(Map<BundleId, BundleListing.Leftover> leftovers, Instant now) {
    leftovers.forEach((id, leftover) -> {
      if (leftover.newest().plus(LEFTOVER_AGE).isBefore(now)) {
        log.info("Removing {} object(s) of bundle {}, left without metadata by an interrupted upload or deletion", leftover.keys().size(),
            id);
        bucket.deleteKeys(leftover.keys());
      }
    });
    for (MultipartUpload upload : bucket.multipartUploads()) {
      if (upload.initiated().plus(ABANDONED_UPLOAD_AGE).isBefore(now)) {
        log.info("Aborting an upload abandoned since {}: {}", upload.initiated(), upload.key());
        bucket.abort(upload);
      }
    }
  }
}
