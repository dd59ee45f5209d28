package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleId;
import io.sparkstaging.server.store.BundleRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One listing of the bucket, sorted by bundle: the visible bundles with their event times, and the
 * keys of bundles without metadata (an interrupted upload or deletion, or an event recorded after
 * a deletion), which cleanup removes once they are old enough.
 */
final class BundleListing {
  /** Keys of one bundle that has no metadata, and when the newest of them was written. */
  record Leftover(List<String> keys, Instant newest) {}

  private final Map<BundleId, BundleRecord> visible;
  private final Map<BundleId, Leftover> leftovers;

  private BundleListing(Map<BundleId, BundleRecord> visible, Map<BundleId, Leftover> leftovers) {
    this.visible = visible;
    this.leftovers = leftovers;
  }

  /**
   * @param metadata the record in a bundle's metadata object, empty if it cannot be read (then the
   *     bundle counts as a leftover)
   */
  static BundleListing of(Iterable<S3Object> objects, S3Keys keys, Function<BundleId, Optional<BundleRecord>> metadata) {
    var grouped = new HashMap<BundleId, Group>();
    for (S3Object object : objects) {
      keys.parse(object.key()).ifPresent(entry -> grouped.computeIfAbsent(entry.id(), id -> new Group()).add(object, entry));
    }
    var visible = new HashMap<BundleId, BundleRecord>();
    var leftovers = new HashMap<BundleId, Leftover>();
    grouped.forEach((id, group) -> {
      Optional<BundleRecord> record = group.hasMetadata && group.hasBytes ? metadata.apply(id) : Optional.empty();
      if (record.isPresent()) {
        visible.put(id, withEvents(record.get(), group));
      } else {
        leftovers.put(id, new Leftover(List.copyOf(group.keys), group.newest));
      }
    });
    return new BundleListing(visible, leftovers);
  }

  private static BundleRecord withEvents(BundleRecord record, Group group) {
    BundleRecord result = record;
    if (group.firstDownload != null) {
      result = result.downloadedAt(group.firstDownload);
    }
    if (group.ownerSeen != null) {
      result = result.ownerSeenAt(group.ownerSeen);
    }
    return result;
  }

  Map<BundleId, BundleRecord> visible() {
    return visible;
  }

  Map<BundleId, Leftover> leftovers() {
    return leftovers;
  }

  private static final class Group {
    final List<String> keys = new ArrayList<>();
    boolean hasMetadata;
    /** Content, or a manifest of files kept elsewhere. */
    boolean hasBytes;
    Instant firstDownload;
    Instant ownerSeen;
    Instant newest = Instant.MIN;

    void add(S3Object object, S3Keys.Entry entry) {
      keys.add(object.key());
      if (object.lastModified() != null && object.lastModified().isAfter(newest)) {
        newest = object.lastModified();
      }
      hasMetadata |= entry.name().equals(S3Keys.METADATA);
      hasBytes |= entry.name().equals(S3Keys.CONTENT) || entry.name().equals(S3Keys.MANIFEST);
      entry.eventTime(S3Keys.DOWNLOADED).ifPresent(when -> firstDownload = earliest(firstDownload, when));
      entry.eventTime(S3Keys.OWNER_SEEN).ifPresent(when -> ownerSeen = earliest(ownerSeen, when));
    }

    private static Instant earliest(Instant current, Instant candidate) {
      return current == null || candidate.isBefore(current) ? candidate : current;
    }
  }
}
