package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.MetadataCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket as bundles use it: their metadata objects, event keys, listings and deletions, keyed
 * by {@link S3Keys}. Every method may throw the SDK's {@code SdkException}; callers decide what an
 * outage means for their request.
 */
final class S3Bucket {
  private static final Logger log = LoggerFactory.getLogger(S3Bucket.class);

  private final S3Client s3;
  private final String name;
  private final S3Keys keys;
  private final MetadataCodec codec = new MetadataCodec();

  S3Bucket(S3Client s3, String name, String prefix) {
    this.s3 = s3;
    this.name = name;
    this.keys = new S3Keys(prefix);
  }

  S3Client client() {
    return s3;
  }

  String name() {
    return name;
  }

  S3Keys keys() {
    return keys;
  }

  /** Empty if the bundle has no metadata, or metadata no server can read (which is logged). */
  Optional<BundleRecord> readMetadata(BundleId id) {
    byte[] json;
    try {
      json = s3.getObjectAsBytes(get -> get.bucket(name).key(keys.metadata(id))).asByteArray();
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(codec.decode(json));
    } catch (IOException e) {
      log.error("Ignoring bundle {}: its metadata cannot be read: {}", id, e.toString());
      return Optional.empty();
    }
  }

  void writeMetadata(BundleRecord record) {
    byte[] json;
    try {
      json = codec.encode(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    s3.putObject(put -> put.bucket(name).key(keys.metadata(record.id())).contentType("application/json"), RequestBody.fromBytes(json));
  }

  void deleteMetadata(BundleId id) {
    s3.deleteObject(delete -> delete.bucket(name).key(keys.metadata(id)));
  }

  void writeEvent(BundleId id, String kind, Instant when) {
    s3.putObject(put -> put.bucket(name).key(keys.event(id, kind, when)), RequestBody.empty());
  }

  /** Every key of every bundle, the SDK fetching pages as the caller iterates. */
  Iterable<S3Object> listBundles() {
    return s3.listObjectsV2Paginator(list -> list.bucket(name).prefix(keys.bundles())).contents();
  }

  List<String> keysOf(BundleId id) {
    return s3.listObjectsV2Paginator(list -> list.bucket(name).prefix(keys.dir(id))).contents().stream().map(S3Object::key).toList();
  }

  /**
   * One DELETE a key: a bundle has a few. DeleteObjects would batch them, but S3 demands a checksum
   * header on it that several S3-compatible stores refuse.
   */
  void deleteKeys(List<String> doomed) {
    for (String key : doomed) {
      s3.deleteObject(delete -> delete.bucket(name).key(key));
    }
  }

  Iterable<MultipartUpload> multipartUploads() {
    return s3.listMultipartUploadsPaginator(list -> list.bucket(name).prefix(keys.bundles())).uploads();
  }

  void abort(MultipartUpload upload) {
    s3.abortMultipartUpload(abort -> abort.bucket(name).key(upload.key()).uploadId(upload.uploadId()));
  }

  /** Lists one key: the cheapest request that proves the bucket is there and these credentials reach it. */
  void probe() {
    s3.listObjectsV2(list -> list.bucket(name).prefix(keys.bundles()).maxKeys(1));
  }

  /** Every key under {@code prefix}, with its size and time, the SDK fetching pages as the caller iterates. */
  Iterable<S3Object> list(String prefix) {
    return s3.listObjectsV2Paginator(list -> list.bucket(name).prefix(prefix)).contents();
  }

  Optional<byte[]> read(String key) {
    try {
      return Optional.of(s3.getObjectAsBytes(get -> get.bucket(name).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  boolean exists(String key) {
    try {
      s3.headObject(head -> head.bucket(name).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  void write(String key, byte[] bytes) {
    s3.putObject(put -> put.bucket(name).key(key), RequestBody.fromBytes(bytes));
  }

  /** A copy made by the store itself: the bytes do not pass through this server. */
  void copy(String from, String to) {
    s3.copyObject(copy -> copy.sourceBucket(name).sourceKey(from).destinationBucket(name).destinationKey(to));
  }
}
