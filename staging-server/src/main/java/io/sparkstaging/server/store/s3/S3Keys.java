package io.sparkstaging.server.store.s3;

import io.sparkstaging.server.store.BundleId;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object keys of a bundle, all under {@code PREFIX/bundles/ID/}:
 *
 * <pre>
 * content                  the bytes, a multipart upload while it is under way
 * bundle.json              owner, secret digest, size, SHA-256, creation time; written last and
 *                          never changed, so its presence is what makes a bundle visible
 * downloaded/EPOCH_MILLIS  empty: a first download, as seen by one replica
 * owner-seen/EPOCH_MILLIS  empty: a pod of the owner was seen
 * manifest.json            instead of content, for a bundle staged by digest: its files, which are
 * </pre>
 *
 * under {@code PREFIX/blobs/NS_KEY/} ({@link io.sparkstaging.server.store.NamespaceKey}):
 *
 * <pre>
 * SHA256                   a file's bytes, copied there once the server has checked them
 * namespace                the namespace's name
 * </pre>
 *
 * and, for the sweep that removes blobs no bundle lists ({@link S3BlobStore}), {@code
 * PREFIX/pins/NS_KEY/EPOCH_MILLIS-RANDOM} (the digests a query found, kept a grace period) and
 * {@code PREFIX/condemned/NS_KEY/SHA256} (a blob the sweep is about to remove).
 *
 * Events are new keys rather than edits of {@code bundle.json}: replicas that record them at the
 * same time cannot overwrite each other, and a listing alone tells every time. Every key is made
 * from a server-generated {@link BundleId} and numbers.
 */
final class S3Keys {
  static final String CONTENT = "content";
  static final String METADATA = "bundle.json";
  static final String DOWNLOADED = "downloaded/";
  static final String OWNER_SEEN = "owner-seen/";
  static final String MANIFEST = "manifest.json";
  static final String NAMESPACE = "namespace";

  private final String bundles;
  private final String prefix;
  private final Pattern parts;

  S3Keys(String prefix) {
    this.prefix = prefix;
    this.bundles = prefix + "bundles/";
    this.parts = Pattern.compile(Pattern.quote(bundles) + "([0-9a-f]{32})/(.+)");
  }

  /** Where all bundles are: the prefix to list. */
  String bundles() {
    return bundles;
  }

  String dir(BundleId id) {
    return bundles + id.value() + "/";
  }

  String content(BundleId id) {
    return dir(id) + CONTENT;
  }

  String metadata(BundleId id) {
    return dir(id) + METADATA;
  }

  String manifest(BundleId id) {
    return dir(id) + MANIFEST;
  }

  /** Where every namespace's blobs are: the prefix to list. */
  String allBlobs() {
    return prefix + "blobs/";
  }

  String blobs(String namespaceKey) {
    return allBlobs() + namespaceKey + "/";
  }

  String blob(String namespaceKey, String sha256) {
    return blobs(namespaceKey) + sha256;
  }

  String namespaceName(String namespaceKey) {
    return blobs(namespaceKey) + NAMESPACE;
  }

  String allPins() {
    return prefix + "pins/";
  }

  String pins(String namespaceKey) {
    return allPins() + namespaceKey + "/";
  }

  String allCondemned() {
    return prefix + "condemned/";
  }

  String condemned(String namespaceKey) {
    return allCondemned() + namespaceKey + "/";
  }

  String event(BundleId id, String kind, Instant when) {
    return dir(id) + kind + when.toEpochMilli();
  }

  /** A listed key, split into the bundle it belongs to and its name within the bundle; empty for a stranger. */
  Optional<Entry> parse(String key) {
    Matcher matcher = parts.matcher(key);
    return matcher.matches() ? Optional.of(new Entry(new BundleId(matcher.group(1)), matcher.group(2))) : Optional.empty();
  }

  record Entry(BundleId id, String name) {
    /** The time of an event key, if this is one of {@code kind}. */
    Optional<Instant> eventTime(String kind) {
      if (!name.startsWith(kind)) {
        return Optional.empty();
      }
      try {
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(name.substring(kind.length()))));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
