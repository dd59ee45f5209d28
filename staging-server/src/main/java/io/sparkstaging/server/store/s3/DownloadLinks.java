package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned URLs that let a pod fetch a bundle's content from the bucket itself, when configured. */
final class DownloadLinks implements AutoCloseable {
  private final S3Presigner presigner;
  private final S3Bucket bucket;
  private final Optional<Duration> validity;

  /** @param validity how long a URL works; empty for no links */
  DownloadLinks(S3Presigner presigner, S3Bucket bucket, Optional<Duration> validity) {
    this.presigner = presigner;
    this.bucket = bucket;
    this.validity = validity;
  }

  boolean enabled() {
    return validity.isPresent();
  }

  Optional<URI> linkTo(BundleId id) {
    return linkTo(bucket.keys().content(id));
  }

  Optional<URI> linkTo(String key) {
    return validity.map(ttl -> {
      try {
        return presigner.presignGetObject(presign -> presign.signatureDuration(ttl)
            .getObjectRequest(get -> get.bucket(bucket.name()).key(key))).url().toURI();
      } catch (URISyntaxException e) {
        throw new IllegalStateException("the SDK presigned a malformed URL", e);
      }
    });
  }

  @Override
  public void close() {
    presigner.close();
  }
}
